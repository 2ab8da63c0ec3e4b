/**
 * The shipped templates as a test corpus: the policy files the API ships (apps/api/templates), read
 * and checked here with the engine's own checkPolicyFile. Templates are data, not engine code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkPolicyFile } from '../../src';
import type { PolicyFile } from '../../src';

export const TEMPLATE_DIR = join(__dirname, '..', '..', '..', '..', 'apps', 'api', 'templates');

export function templateFiles(): PolicyFile[] {
  return readdirSync(TEMPLATE_DIR)
    .filter((f) => f.endsWith('.policy.json'))
    .sort()
    .map((name) => {
      const check = checkPolicyFile(JSON.parse(readFileSync(join(TEMPLATE_DIR, name), 'utf8')) as unknown);
      if (!check.file) throw new Error(`${name}: ${JSON.stringify(check.errors)}`);
      return check.file;
    });
}

/** The current file of a template (`<key>.policy.json`). */
export function templateFile(key: string): PolicyFile {
  const check = checkPolicyFile(JSON.parse(readFileSync(join(TEMPLATE_DIR, `${key}.policy.json`), 'utf8')) as unknown);
  if (!check.file) throw new Error(`${key}.policy.json: ${JSON.stringify(check.errors)}`);
  return check.file;
}
