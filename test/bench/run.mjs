// Runs every *.bench.mjs in this folder, one after another (each as its own process, so one's
// memory and JIT state never colour the next), prints their JSON results and the machine.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? os.cpus()[0]?.model;
console.log(
  JSON.stringify({
    machine: { cpu, cores: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, os: `${os.type()} ${os.release()}` },
    at: new Date().toISOString(),
  }),
);
try {
  execFileSync('npx', ['turbo', 'run', 'build', '--filter=@tierwise/api', '--filter=@tierwise/console', '--output-logs=errors-only'], {
    stdio: 'inherit',
    cwd: path.resolve(here, '..', '..'),
  });
} catch {
  process.exit(1);
}
let failed = false;
for (const file of readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .sort()) {
  if (only.length && !only.some((o) => file.includes(o))) continue;
  console.log(`\n== ${file}`);
  const r = spawnSync(process.execPath, ['--expose-gc', path.join(here, file)], { stdio: 'inherit', env: process.env });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
