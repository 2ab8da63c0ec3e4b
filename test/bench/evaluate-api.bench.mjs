// POST /api/evaluate on the cib-card template against the real server on real PostgreSQL, every decision
// logged; then the same server evaluating the same version without logging
// (POST /api/policy-versions/:id/evaluate with explain:false). autocannon runs in this process.
import autocannon from 'autocannon';
import { startServer } from './server.mjs';

const DURATION = Number(process.env.BENCH_SECONDS ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

function run(opts) {
  return new Promise((resolve, reject) => {
    const instance = autocannon({ connections: CONNECTIONS, duration: DURATION, pipelining: 1, ...opts }, (err, res) => (err ? reject(err) : resolve(res)));
    autocannon.track(instance, { renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false });
  });
}

export async function benchEvaluateApi() {
  const server = await startServer({ WEB_CONCURRENCY: process.env.WEB_CONCURRENCY ?? '1' });
  try {
    const token = await server.login('service');
    const adminToken = await server.login('admin');
    const policies = await (await fetch(`${server.url}/api/policies?filter=${encodeURIComponent('{"q":"cib-card"}')}`, { headers: { authorization: `Bearer ${adminToken}` } })).json();
    const card = policies.find((p) => p.key === 'cib-card');
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const adminHeaders = { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` };
    // Customers spread over the ladder, so every tier (and the eligibility check) is exercised.
    const customers = Array.from({ length: 64 }, (_, i) => ({ avgDailyAssets: (i * 37_123) % 1_500_000, familyAvgDailyAssets: (i * 11_311) % 900_000, hasValidId: i % 17 !== 0 }));
    let i = 0;
    const body = () => JSON.stringify({ policy: 'cib-card', customerId: `bench-${i % 5000}`, facts: customers[i++ % customers.length] });
    const warm = await run({ url: `${server.url}/api/evaluate`, method: 'POST', headers, duration: 3, setupClient: (c) => c.setBody(body()) , requests: [{ method: 'POST', setupRequest: (r) => ({ ...r, body: body() }) }] });
    void warm;
    const logged = await run({ url: `${server.url}/api/evaluate`, method: 'POST', headers, requests: [{ method: 'POST', setupRequest: (r) => ({ ...r, body: body() }) }] });
    const unlogged = await run({
      url: `${server.url}/api/policy-versions/${card.activeVersionId}/evaluate`,
      method: 'POST',
      headers: adminHeaders,
      requests: [{ method: 'POST', setupRequest: (r) => ({ ...r, body: JSON.stringify({ facts: customers[i++ % customers.length], explain: false }) }) }],
    });
    const summary = (r) => ({ reqPerSec: Math.round(r.requests.average), p50ms: r.latency.p50, p99ms: r.latency.p99, errors: r.errors, non2xx: r.non2xx, total: r.requests.total });
    const count = await (await fetch(`${server.url}/api/decisions?range=${encodeURIComponent('[0,0]')}&filter=${encodeURIComponent('{"policy":"cib-card"}')}`, { headers: { authorization: `Bearer ${adminToken}` } })).headers.get('content-range');
    return { webConcurrency: Number(process.env.WEB_CONCURRENCY ?? 1), logged: summary(logged), unlogged: summary(unlogged), ratio: +(logged.requests.average / unlogged.requests.average).toFixed(2), decisionsLogged: count, connections: CONNECTIONS, seconds: DURATION };
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchEvaluateApi(), null, 2));
}
