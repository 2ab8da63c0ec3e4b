import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';

// The layering lint (apps/api/layers.mjs, enforced by eslint-plugin-boundaries in `npm run lint`):
// these run the repository's real ESLint configuration on a file's text as if it lived at a given
// place in apps/api/src, so they fail if the rule stops catching an upward import.
// All cases are linted once, in one ESLint process (test/helpers/lint-as.mjs: the type information
// is built once, not once per case), before the tests; each test asserts on its own cases.
jest.setTimeout(240_000);

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const SRC = path.join(ROOT, 'apps', 'api', 'src');

interface Message {
  ruleId: string | null;
  message: string;
}

const CASES = {
  upward: ['audit/audit.service.ts', "import { PoliciesService } from '../policies/policies.service';\nexport const x = PoliciesService;\n"],
  policiesToEvaluation: ['policies/workflow.service.ts', "export type { EvaluationService } from '../evaluation/evaluation.service';\n"],
  usersToAuth: ['users/users.service.ts', "import type { AuthService } from '../auth/auth.service';\nexport type A = AuthService;\n"],
  datasetsToSimulation: ['datasets/datasets.service.ts', "export { SimulationsService } from '../simulation/simulations.service';\n"],
  sharedToEntry: ['common/validation.ts', "export { AppModule } from '../app.module';\n"],
  downward: [
    'evaluation/evaluation.service.ts',
    "export { PoliciesService } from '../policies/policies.service';\nexport { DecisionLogService } from './decision-log.service';\n",
  ],
  promises: [
    'common/validation.ts',
    'export async function f(): Promise<void> {}\nexport function g(): void {\n  f();\n  [1].forEach(async () => {\n    await f();\n  });\n}\n',
  ],
} satisfies Record<string, [file: string, code: string]>;

function lintAll(): Record<keyof typeof CASES, Message[]> {
  const names = Object.keys(CASES) as (keyof typeof CASES)[];
  const input = JSON.stringify(names.map((n) => ({ filePath: path.join(SRC, CASES[n][0]), code: CASES[n][1] })));
  const r = spawnSync(process.execPath, [path.join(__dirname, '..', 'helpers', 'lint-as.mjs')], { cwd: ROOT, input, encoding: 'utf8' });
  if (r.status !== 0 || !r.stdout) throw new Error(`eslint did not run: ${r.stderr}`);
  const results = JSON.parse(r.stdout) as Message[][];
  expect(results).toHaveLength(names.length);
  return Object.fromEntries(names.map((n, i) => [n, results[i]])) as Record<keyof typeof CASES, Message[]>;
}

let linted: Record<keyof typeof CASES, Message[]>;
const lintAs = (name: keyof typeof CASES): Message[] => linted[name];

const boundaryErrors = (messages: Message[]) => messages.filter((m) => m.ruleId?.startsWith('boundaries/')).map((m) => m.message);

describe('layering lint', () => {
  beforeAll(() => {
    linted = lintAll();
  });

  it('fails an upward import: a lower capability (audit) importing a higher one (policies)', () => {
    const errors = boundaryErrors(lintAs('upward'));
    expect(errors).toEqual([expect.stringMatching(/"audit" to elements of type "policies"/)]);
  });

  it('fails the cycles this layering broke: policies → evaluation, users → auth, datasets → simulation', () => {
    expect(boundaryErrors(lintAs('policiesToEvaluation'))).toHaveLength(1);
    expect(boundaryErrors(lintAs('usersToAuth'))).toHaveLength(1);
    expect(boundaryErrors(lintAs('datasetsToSimulation'))).toHaveLength(1);
  });

  it('fails a shared folder importing the app entry', () => {
    expect(boundaryErrors(lintAs('sharedToEntry'))).toHaveLength(1);
  });

  it('allows downward imports and imports inside a folder', () => {
    expect(boundaryErrors(lintAs('downward'))).toEqual([]);
  });

  it('type-aware lint: a floating promise or a promise passed where a void callback is expected fails', () => {
    const rules = lintAs('promises').map((m) => m.ruleId);
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
