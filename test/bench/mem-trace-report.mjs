// Reads the JSON lines mem-trace.cjs wrote (node test/bench/mem-trace-report.mjs <dir> [fromMs toMs]) and prints, per
// process, the peak RSS and each thread's memory at that moment and at its own peaks (MiB).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const [dir, from = 0, to = Infinity] = process.argv.slice(2);
const mib = (b) => Math.round(b / 2 ** 20);
const byPid = new Map();
for (const f of readdirSync(dir).filter((n) => n.endsWith('.jsonl'))) {
  const [pid, thread] = f.replace('.jsonl', '').split('-').map(Number);
  const rows = readFileSync(path.join(dir, f), 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((r) => r.t >= Number(from) && r.t <= Number(to));
  if (!rows.length) continue;
  if (!byPid.has(pid)) byPid.set(pid, new Map());
  byPid.get(pid).set(thread, rows);
}
const fields = ['heapTotal', 'heapUsed', 'newSpace', 'oldSpace', 'largeObjects', 'external', 'arrayBuffers'];
for (const [pid, threads] of byPid) {
  const all = [...threads.values()].flat();
  const peak = all.reduce((a, b) => (b.rss > a.rss ? b : a));
  console.log(`pid ${pid}: peak RSS ${mib(peak.rss)} MiB at ${new Date(peak.t).toISOString()} (${all.length} samples)`);
  let sumHeap = 0;
  let sumExt = 0;
  for (const [thread, rows] of [...threads].sort((a, b) => a[0] - b[0])) {
    const near = rows.reduce((a, b) => (Math.abs(b.t - peak.t) < Math.abs(a.t - peak.t) ? b : a));
    sumHeap += near.heapTotal;
    sumExt += near.arrayBuffers;
    const atPeak = fields.map((k) => `${k} ${mib(near[k])}`).join(' · ');
    const own = fields.map((k) => `${k} ${mib(Math.max(...rows.map((r) => r[k])))}`).join(' · ');
    console.log(`  thread ${thread} at the RSS peak (±${Math.abs(near.t - peak.t)} ms): ${atPeak}`);
    console.log(`  thread ${thread} own peaks: ${own}`);
  }
  console.log(
    `  at the peak: heaps ${mib(sumHeap)} MiB + array buffers ${mib(sumExt)} MiB (SharedArrayBuffers may count in each isolate holding one) of RSS ${mib(peak.rss)}`,
  );
}
