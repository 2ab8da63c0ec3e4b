import { readFileSync } from 'node:fs';
import * as path from 'node:path';

// Repository guardrails that no other test shows.
const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const read = (p: string) => readFileSync(path.join(ROOT, p), 'utf8');

describe('guardrails', () => {
  it('pins json-rules-engine to the exact version the compiled evaluator mirrors (no range), and that version is installed', () => {
    const engine = JSON.parse(read('packages/policy-engine/package.json')) as { dependencies: Record<string, string> };
    const mirrored = /json-rules-engine (\d+\.\d+\.\d+)/.exec(read('packages/policy-engine/src/compile.ts'))?.[1];
    expect(mirrored).toBeDefined();
    expect(engine.dependencies['json-rules-engine']).toBe(mirrored);
    const installed = JSON.parse(read('node_modules/json-rules-engine/package.json')) as { version: string };
    expect(installed.version).toBe(mirrored);
  });

  it('CI fails when npm install changes the committed lockfile', () => {
    const ci = read('.ci/run');
    const install = ci.indexOf('npm install --no-audit --no-fund');
    const check = ci.indexOf('git diff --quiet --exit-code -- package-lock.json');
    expect(install).toBeGreaterThan(-1);
    expect(check).toBeGreaterThan(install);
    // the command that runs the tests (a line of its own: a comment naming it does not count)
    expect(ci.indexOf('\nnpm run test:code\n')).toBeGreaterThan(check);
  });
});
