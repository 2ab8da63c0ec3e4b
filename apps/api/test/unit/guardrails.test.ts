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

  it('every start command gives node the same V8 young-generation size (a logged request lives until its commit)', () => {
    const flags = (command: string | undefined) => /\bnode ((?:--[\w-]+=\S+ )*)\S*dist\/main\.js\b/.exec(command ?? '')?.[1].trim();
    const api = JSON.parse(read('apps/api/package.json')) as { scripts: Record<string, string> };
    const root = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    const cmd = /^CMD (\[.*\])$/m.exec(read('docker/Dockerfile'))?.[1];
    expect(cmd).toBeDefined();
    const docker = (JSON.parse(cmd ?? '[]') as string[]).join(' ');
    expect(flags(api.scripts.start)).toBe('--max-semi-space-size=64');
    expect(flags(root.scripts.start)).toBe(flags(api.scripts.start));
    expect(flags(docker)).toBe(flags(api.scripts.start));
  });
});
