// Population-relative tiers at scale (issue 16): what ranking N customers adds to a rating run.
// In one process, on the built policy engine (packages/policy-engine/dist), N customers (default 10,000,000,
// BENCH_POPULATION_CUSTOMERS) with profits drawn so that many tie:
//   1. the population pass as a run's thread does it: every customer's facts offered to the collector
//      (createPopulationCollector.add: the ranked facts into Float64Array columns), then finish() = the cut-offs
//      of the customer pyramid (three cumulative shares), the pyramid by rank (topPercent 20 / 50) and per region;
//   2. the reference, measured in the same run: compiling and evaluating the same N customers with the same
//      definition and the frozen cut-offs (what the run's chunks do for every customer anyway).
// Reading the snapshot's chunks from PostgreSQL is not in these figures: a run's chunks read them too, and the
// pass reads each chunk once more (see "Rating runs" for the read cost). Prints a Markdown section; with
// BENCH_WRITE=1 it replaces "## Population-relative tiers" in RESULTS.md.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const engine = require(path.join(here, '..', '..', 'packages', 'policy-engine', 'dist', 'index.js'));
const N = Number(process.env.BENCH_POPULATION_CUSTOMERS ?? 10_000_000);
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const facts = [
  { key: 'annualProfit', label: '年度利润', type: 'number' },
  { key: 'region', label: '地区', type: 'string' },
];
const cum = (p) => ({ all: [{ fact: 'annualProfit', operator: 'shareOfTotalAtLeast', value: p, params: { cumulative: true } }] });
const definition = {
  schemaVersion: 1,
  tiers: [
    { key: 'KEY', name: '关键', when: cum(80) },
    { key: 'MAJOR', name: '主要', when: cum(95) },
    { key: 'NORMAL', name: '普通', when: { any: [cum(99), { all: [{ fact: 'annualProfit', operator: 'topPercent', value: 50 }] }] } },
    { key: 'REGION_TOP', name: '地区前 20%', when: { all: [{ fact: 'annualProfit', operator: 'topPercent', value: 20, params: { groupBy: 'region' } }] } },
    { key: 'SMALL', name: '小' },
  ],
};
const regions = ['east', 'west', 'north', 'south', 'central'];
/** Deterministic: a heavy-tailed profit, rounded to 100 (ties), 1% missing. */
function customer(i) {
  const u = ((i * 2654435761) % 4294967296) / 4294967296;
  const profit = i % 100 === 0 ? null : Math.round(1000 / Math.pow(1 - u * 0.999, 1.2) / 100) * 100;
  return { annualProfit: profit, region: regions[i % regions.length] };
}

const loadBefore = loadavg();
const t0 = performance.now();
const collector = engine.createPopulationCollector(definition);
for (let i = 0; i < N; i++) collector.add(customer(i));
const t1 = performance.now();
const cutoffs = collector.finish({ asOf: '2026-03-31' });
const t2 = performance.now();
const fast = engine.compileFast(definition, facts, { cutoffs });
let sink = 0;
const t3 = performance.now();
for (let i = 0; i < N; i++) sink += fast(customer(i)).tierIndex;
const t4 = performance.now();
// the rows alone (the same objects built, nothing done with them): subtracted from both sides
let rows = 0;
const t5 = performance.now();
for (let i = 0; i < N; i++) rows += customer(i).region.length;
const t6 = performance.now();
const loadAfter = loadavg();
if (sink === 0 || rows === 0) throw new Error('nothing evaluated');

const ms = (a, b) => Math.round(b - a);
const rowsMs = ms(t5, t6);
const collectMs = ms(t0, t1);
const rankMs = ms(t1, t2);
const evalMs = ms(t3, t4);
const passMs = collectMs + rankMs;
const fmt = (n) => n.toLocaleString('en-US');
const cut = (key) => cutoffs.cuts.find((c) => c.key === key)?.groups;
const section = `## Population-relative tiers: ranking ${fmt(N)} customers (issue 16)

\`node test/bench/population.bench.mjs\` (\`BENCH_POPULATION_CUSTOMERS=N\`), ${new Date().toISOString()}, ${os.cpus()[0]?.model ?? 'cpu'} (${os.cpus().length} cores), Node ${process.version}; load average ${loadBefore} before → ${loadAfter} after (\`uptime\`; the machine is shared by ~7 engineers: every figure is slower than on a quiet machine, the ratio is the one to read). One process, the built engine; N customers with a heavy-tailed profit rounded to 100 (many ties), 1% missing, five regions. The definition: the customer pyramid by cumulative share (80 / 95 / 99%), top 50% by rank, and the top 20% per region (${cutoffs.cuts.length} population conditions, ${cutoffs.cuts.reduce((s, c) => s + c.groups.length, 0)} cut-offs).

| step | time | per customer |
|---|---|---|
| population pass: collect the ranked facts into typed columns (\`collector.add\`, ${fmt(N)} rows) | ${fmt(collectMs)} ms | ${((collectMs * 1e6) / N).toFixed(0)} ns |
| population pass: rank = the cut-offs (\`finish\`: one Float64Array sort per fact and group, O(n log n)) | **${fmt(rankMs)} ms** | ${((rankMs * 1e6) / N).toFixed(0)} ns |
| reference, same run: compiled evaluation of the same ${fmt(N)} customers with the frozen cut-offs | ${fmt(evalMs)} ms | ${((evalMs * 1e6) / N).toFixed(0)} ns |
| (building the same ${fmt(N)} row objects alone, included in both rows above) | ${fmt(rowsMs)} ms | |

The whole pass (collect + rank) is **${fmt(passMs)} ms**, ${(passMs / evalMs).toFixed(2)}× the compiled evaluation of the same customers — which a rating run does anyway, beside reading every chunk, comparing with the ledger and staging the changes (see "Rating runs": the 1,000,000-customer proposal took 36–45 s at load ~40). The sort itself is ${fmt(rankMs)} ms for ${fmt(N)} customers. In a run the pass reads each snapshot chunk once more (binary COPY, only the ranked facts decoded) in a worker thread of its own, before the chunks are dispatched. Cut-offs found: pyramid 80% at ${fmt(cut('shareOfTotalAtLeast(annualProfit, 80, cumulative=true)')?.[0]?.cutoff ?? 0)}, top 50% at ${fmt(cut('topPercent(annualProfit, 50)')?.[0]?.cutoff ?? 0)} (${fmt(cut('topPercent(annualProfit, 50)')?.[0]?.qualifying ?? 0)} customers with ties, of ${fmt(cutoffs.population)}).
`;
process.stdout.write(section);
if (process.env.BENCH_WRITE === '1') {
  const file = path.join(here, 'RESULTS.md');
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf('## Population-relative tiers');
  const next = start < 0 ? -1 : text.indexOf('\n## ', start + 1);
  const updated = start < 0 ? `${text.trimEnd()}\n\n${section}` : `${text.slice(0, start)}${section}${next < 0 ? '' : text.slice(next)}`;
  writeFileSync(file, updated);
}
