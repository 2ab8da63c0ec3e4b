/** The shipped templates (policy files in apps/api/templates) as a corpus for the console's unit tests. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkPolicyFile, type PolicyFile } from '@tierwise/policy-engine';

const DIR = join(__dirname, '..', '..', 'api', 'templates');

export function templateFiles(): PolicyFile[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.policy.json'))
    .sort()
    .map((name) => {
      const check = checkPolicyFile(JSON.parse(readFileSync(join(DIR, name), 'utf8')) as unknown);
      if (!check.file) throw new Error(`${name}: ${JSON.stringify(check.errors)}`);
      return check.file;
    });
}

export function templateFile(key: string): PolicyFile {
  const file = templateFiles().find((f) => f.policy.key === key);
  if (!file) throw new Error(`no template ${key}`);
  return file;
}
