// Load and digest for POST /api/evaluate benches (evaluate-api.bench.mjs, decision-lookup.bench.mjs):
// autocannon in a closed loop on the cib-card template's three facts, each run reduced to req/s and
// latency, runs digested to medians.
import autocannon from 'autocannon';

// Customers spread over the ladder, so every tier (and the eligibility check) is exercised.
export const customers = Array.from({ length: 64 }, (_, i) => ({
  avgDailyAssets: (i * 37_123) % 1_500_000,
  familyAvgDailyAssets: (i * 11_311) % 900_000,
  hasValidId: i % 17 !== 0,
}));

/**
 * `connections` connections posting /api/evaluate for `duration` seconds; the i-th request names
 * customerId(i) (by default 5,000 bench customers, each logged many times).
 */
export function load(url, token, connections, duration, customerId = (i) => `bench-${i % 5000}`) {
  let i = 0;
  const body = () => JSON.stringify({ policy: 'cib-card', customerId: customerId(i), facts: customers[i++ % customers.length] });
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${url}/api/evaluate`,
        method: 'POST',
        connections,
        duration,
        pipelining: 1,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        requests: [{ method: 'POST', setupRequest: (r) => ({ ...r, body: body() }) }],
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
  });
}

/** Milliseconds for a fixed integer loop: the machine's speed at the time (lower is faster). */
export function cpuReferenceMs() {
  const t0 = performance.now();
  let x = 0;
  for (let i = 0; i < 3e8; i++) x += i % 7;
  if (x < 0) console.log(x);
  return Math.round(performance.now() - t0);
}

/**
 * Decisions in the log, from the total in `GET /api/decisions`' Content-Range. The total is exact only up to
 * COUNT_BEYOND_PAGE rows past the page asked for (decisions.service.ts): a page beyond the end is counted exactly.
 */
export async function decisionCount(url, token) {
  const res = await fetch(`${url}/api/decisions?range=${encodeURIComponent('[1000000000000,1000000000000]')}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return Number(/\/(\d+)$/.exec(res.headers.get('content-range') ?? '')?.[1] ?? NaN);
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One autocannon result, reduced. */
export const run = (r) => ({
  reqPerSec: Math.round(r.requests.average),
  p50ms: r.latency.p50,
  p99ms: r.latency.p99,
  maxMs: r.latency.max,
  ok: r['2xx'],
  failed: r.errors + r.non2xx + r.timeouts,
});

/** Runs of one contender: medians, and each run in a line. */
export const digest = (runs) => ({
  reqPerSec: median(runs.map((r) => r.reqPerSec)),
  p50ms: median(runs.map((r) => r.p50ms)),
  p99ms: median(runs.map((r) => r.p99ms)),
  runs: runs.map((r) => `${r.reqPerSec} req/s p99 ${r.p99ms} ms`),
});
