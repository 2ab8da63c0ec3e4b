// Issue 17 target 2, in process: writing a 10,000-customer batch answer (cib-card, trace and projection or the lean
// opt-out) as the route did before — one string of every result, measured by Buffer.byteLength (Fastify's
// Content-Length) and encoded (the socket write) — against batch-answer.ts's 1,000-customer slices encoded to one
// Buffer, with the ids through JSON.stringify (as first sliced) and quoted without it (then), and against each result
// encoded into one growing Buffer as it is written (now). Same bytes, checked.
// Needs the API built (apps/api/dist). Alternates them in each round; medians of 10 rounds. The version's benefit
// packages are the template's (Chinese names, as the server's). BENCH_BASELINE=<another checkout, built>: its
// batch-answer.js too (`baselineWritten`), for old vs new in one run.
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { cibCardVersion } from './cib-card-version.mjs';
const require = createRequire(import.meta.url);
const { batchAnswerWriter } = require('../../apps/api/dist/evaluation/batch-answer.js');
const { evaluationMembers, quoted } = require('../../apps/api/dist/evaluation/answer.js');
const engine = require('@tierwise/policy-engine');
const { p } = cibCardVersion(engine);
const baseline = process.env.BENCH_BASELINE
  ? require(`${process.env.BENCH_BASELINE.replace(/\/$/, '')}/apps/api/dist/evaluation/batch-answer.js`).batchAnswerWriter
  : undefined;
{
  const body = JSON.parse(
    JSON.stringify({
      customers: Array.from({ length: 10000 }, (_, i) => ({
        customerId: `batch-${i}`,
        facts: { avgDailyAssets: (i * 37_123) % 1_500_000, familyAvgDailyAssets: (i * 11_311) % 900_000, hasValidId: i % 17 !== 0 },
      })),
    }),
  );
  const results = [];
  const at = new Date();
  for (const c of body.customers)
    results.push({
      p,
      r: await p.evaluator.evaluate(c.facts),
      facts: c.facts,
      customerId: c.customerId,
      decisionId: randomUUID(),
      evaluatedAt: at,
      rolloutStep: null,
    });
  const former = (include) => {
    const parts = results.map(
      (x) =>
        `{"customerId":${JSON.stringify(x.customerId ?? null)},${evaluationMembers(x.p, 'cib-card', x.r, x.facts, { decisionId: x.decisionId, evaluatedAt: x.evaluatedAt, explain: false, rolloutStep: null, ...include })}}`,
    );
    const s = `{"policy":${JSON.stringify({ key: 'cib-card', versionId: p.version.id, number: 3 })},"results":[${parts.join(',')}]}`;
    Buffer.byteLength(s); // Fastify's Content-Length of a string
    return Buffer.from(s); // what the socket write encodes
  };
  const head = Buffer.from(`{"policy":${JSON.stringify({ key: 'cib-card', versionId: p.version.id, number: 3 })},"results":[`);
  const tail = Buffer.from(']}');
  // the slices as a rope of results each, encoded by Buffer.from, then concatenated; the ids through JSON.stringify (commit 5c54b6d) or quoted
  const roped = (include, quote) => {
    const c = [head];
    for (let a = 0; a < 10000; a += 1000) {
      let out = '';
      for (let i = a; i < a + 1000; i++) {
        const x = results[i];
        out += quote
          ? `${i === 0 ? '' : ','}{"customerId":${quoted(x.customerId)},${evaluationMembers(x.p, 'cib-card', x.r, x.facts, { decisionId: x.decisionId, evaluatedAt: x.evaluatedAt, explain: false, rolloutStep: null, ...include })}}`
          : `${i === 0 ? '' : ','}{"customerId":${JSON.stringify(x.customerId ?? null)},"decisionId":${JSON.stringify(x.decisionId)},"evaluatedAt":${JSON.stringify(x.evaluatedAt)},${evaluationMembers(x.p, 'cib-card', x.r, x.facts, { explain: false, rolloutStep: null, ...include })}}`;
      }
      c.push(Buffer.from(out));
    }
    c.push(tail);
    return Buffer.concat(c);
  };
  const stringifySlice = (include) => roped(include, false);
  const ropedQuoted = (include) => roped(include, true);
  // batch-answer.ts now: each result encoded into one growing Buffer as it is written
  const written = (include, writer = batchAnswerWriter) => {
    const w = writer({ policyKey: 'cib-card', version: p.version, explain: false, include });
    for (let a = 0; a < 10000; a += 1000) w.results(results, a, a + 1000);
    return w.done();
  };
  const ms = {};
  for (const [kind, include] of [
    ['lean', { trace: false, next: false }],
    ['full', undefined],
  ]) {
    const a = former(include);
    const baselineWritten = baseline && ((inc) => written(inc, baseline));
    for (const fn of [stringifySlice, ropedQuoted, written, ...(baseline ? [baselineWritten] : [])]) if (!a.equals(fn(include))) throw new Error('differ');
    for (let k = 0; k < 11; k++)
      for (const [name, fn] of [
        ['former', former],
        ['slicesStringify', stringifySlice],
        ['slicesQuoted', ropedQuoted],
        ['written', written],
        ...(baseline ? [['baselineWritten', baselineWritten]] : []),
      ]) {
        const t0 = performance.now();
        fn(include);
        const d = performance.now() - t0;
        if (k > 0) ((ms[kind] ??= {})[name] ??= []).push(d);
      }
  }
  const med = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
  console.log(
    JSON.stringify({
      bench: 'batch-answer',
      msPer10000: Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, Object.fromEntries(Object.entries(v).map(([n, xs]) => [n, +med(xs).toFixed(1)]))])),
      loadAverage: os.loadavg().map((x) => +x.toFixed(2)),
    }),
  );
}
