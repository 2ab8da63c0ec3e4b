/**
 * Issue 18: with WEB_CONCURRENCY > 1, METRICS_PORT is served by the main process and sums every
 * HTTP worker's series (prom-client's AggregatorRegistry), so one scrape sees all the traffic.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startServer } from '../helpers/server-process';

jest.setTimeout(180_000);

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

describe('METRICS_PORT with WEB_CONCURRENCY=2', () => {
  it("sums the workers' series in one scrape", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'tierwise-metrics-cluster-'));
    const port = await freePort();
    const server = await startServer({
      TIERWISE_DATA_DIR: dataDir,
      DEMO_PASSWORD: 'demo-pass-1234',
      SEED_TEMPLATES: 'false',
      WEB_CONCURRENCY: '2',
      METRICS_PORT: String(port),
    });
    try {
      expect(server.output()).toContain(`/metrics (summed over the workers)`);
      const N = 40;
      // a new connection each time, so the primary hands them to both workers in turn
      const once = () =>
        new Promise<number>((resolve, reject) =>
          get(`${server.url}/api/health/live`, { agent: false }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          }).on('error', reject),
        );
      for (let i = 0; i < N; i++) expect(await once()).toBe(200);
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const m = /^tierwise_http_requests_total\{method="GET",route="\/api\/health\/live",status="200"\} (\d+)$/m.exec(text);
      expect(Number(m?.[1])).toBe(N);
      expect((await fetch(`${server.url}/metrics`)).status).toBe(404); // not on the public port without METRICS_TOKEN
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
