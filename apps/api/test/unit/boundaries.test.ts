import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';

// The layering lint (apps/api/layers.mjs, enforced by eslint-plugin-boundaries in `npm run lint`):
// these run the repository's real ESLint configuration on a file's text as if it lived at a given
// place in apps/api/src, so they fail if the rule stops catching an upward import.
// Each case runs ESLint with type information (a few seconds each, more on a loaded machine).
jest.setTimeout(240_000);

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const SRC = path.join(ROOT, 'apps', 'api', 'src');

interface Message {
  ruleId: string | null;
  message: string;
}

function lintAs(file: string, code: string): Message[] {
  const eslint = path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');
  const r = spawnSync(process.execPath, [eslint, '--format', 'json', '--stdin', '--stdin-filename', path.join(SRC, file)], {
    cwd: ROOT,
    input: code,
    encoding: 'utf8',
  });
  if (!r.stdout) throw new Error(`eslint did not run: ${r.stderr}`);
  const [result] = JSON.parse(r.stdout) as { messages: Message[] }[];
  return result.messages;
}

const boundaryErrors = (messages: Message[]) => messages.filter((m) => m.ruleId?.startsWith('boundaries/')).map((m) => m.message);

describe('layering lint', () => {
  it('fails an upward import: a lower capability (audit) importing a higher one (policies)', () => {
    const errors = boundaryErrors(
      lintAs('audit/audit.service.ts', "import { PoliciesService } from '../policies/policies.service';\nexport const x = PoliciesService;\n"),
    );
    expect(errors).toEqual([expect.stringMatching(/"audit" to elements of type "policies"/)]);
  });

  it('fails the cycles this layering broke: policies → evaluation, users → auth, datasets → simulation', () => {
    expect(boundaryErrors(lintAs('policies/workflow.service.ts', "export type { EvaluationService } from '../evaluation/evaluation.service';\n"))).toHaveLength(
      1,
    );
    expect(
      boundaryErrors(lintAs('users/users.service.ts', "import type { AuthService } from '../auth/auth.service';\nexport type A = AuthService;\n")),
    ).toHaveLength(1);
    expect(boundaryErrors(lintAs('datasets/datasets.service.ts', "export { SimulationsService } from '../simulation/simulations.service';\n"))).toHaveLength(1);
  });

  it('fails a shared folder importing the app entry', () => {
    expect(boundaryErrors(lintAs('common/validation.ts', "export { AppModule } from '../app.module';\n"))).toHaveLength(1);
  });

  it('allows downward imports and imports inside a folder', () => {
    const code = "export { PoliciesService } from '../policies/policies.service';\nexport { DecisionLogService } from './decision-log.service';\n";
    expect(boundaryErrors(lintAs('evaluation/evaluation.service.ts', code))).toEqual([]);
  });

  it('type-aware lint: a floating promise or a promise passed where a void callback is expected fails', () => {
    const code = 'export async function f(): Promise<void> {}\nexport function g(): void {\n  f();\n  [1].forEach(async () => {\n    await f();\n  });\n}\n';
    const rules = lintAs('common/validation.ts', code).map((m) => m.ruleId);
    expect(rules).toEqual(expect.arrayContaining(['@typescript-eslint/no-floating-promises', '@typescript-eslint/no-misused-promises']));
  });

  it('gives every folder of apps/api/src a layer (a new capability must be placed)', () => {
    const script = "import('./apps/api/layers.mjs').then((m) => process.stdout.write(JSON.stringify(m.API_LAYERS)))";
    const API_LAYERS = JSON.parse(spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' }).stdout) as string[];
    const folders = readdirSync(SRC, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    expect([...API_LAYERS].sort()).toEqual(folders.sort());
  });
});
