/**
 * "Nothing lost on a clean shutdown": evaluations are in flight when SIGTERM arrives; every one
 * that was answered with a decisionId is in the log after a restart on the same data.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loginTo, startServer } from '../helpers/server-process';

jest.setTimeout(180_000);

describe('decision log on SIGTERM under load', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tierwise-dlog-'));
  const env = { TIERWISE_DATA_DIR: dataDir, DEMO_PASSWORD: 'demo-pass-1234' };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps every answered decision', async () => {
    const first = await startServer(env);
    const token = await loginTo(first.url, 'service', 'demo-pass-1234');
    const send = (i: number) =>
      fetch(`${first.url}/api/evaluate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({
          policy: 'cib-card',
          customerId: `sigterm-${i}`,
          facts: { avgDailyAssets: i * 1000, familyAvgDailyAssets: 0, hasValidId: true },
        }),
      }).then(async (r) => (r.status === 200 ? ((await r.json()) as { decisionId: string }).decisionId : undefined));
    // a steady stream on 24 connections-worth of loops; SIGTERM after the first 300 answers
    const answered: string[] = [];
    let n = 0;
    let stop = false;
    const loops = Array.from({ length: 24 }, async () => {
      while (!stop) {
        const id = await send(n++).catch(() => undefined);
        if (id) answered.push(id);
        else return;
        if (answered.length === 300) first.child.kill('SIGTERM');
      }
    });
    const batched: string[] = [];
    // and batches of 150 (a flush the log writes by binary COPY) in flight with them
    const batches = Array.from({ length: 2 }, async (_, b) => {
      for (let k = 0; !stop; k++) {
        const res = await fetch(`${first.url}/api/evaluate/batch`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({
            policy: 'cib-card',
            customers: Array.from({ length: 150 }, (_, i) => ({
              customerId: `sigterm-b${b}-${k}-${i}`,
              facts: { avgDailyAssets: i * 1000, familyAvgDailyAssets: 0, hasValidId: true },
            })),
          }),
        }).catch(() => undefined);
        if (res?.status !== 200) return;
        const ids = ((await res.json()) as { results: { decisionId: string }[] }).results.map((r) => r.decisionId);
        expect(ids.every(Boolean)).toBe(true);
        batched.push(...ids);
      }
    });
    await Promise.all([...loops, ...batches]);
    stop = true;
    expect(await first.exited).toBe(0);
    expect(answered.length).toBeGreaterThanOrEqual(300);

    const second = await startServer(env);
    try {
      const compliance = await loginTo(second.url, 'compliance', 'demo-pass-1234');
      const stored = new Set<string>();
      for (let from = 0; ; from += 500) {
        const res = await fetch(
          `${second.url}/api/decisions?range=${encodeURIComponent(`[${from},${from + 499}]`)}&filter=${encodeURIComponent('{"policy":"cib-card"}')}`,
          { headers: { authorization: `Bearer ${compliance}` } },
        );
        expect(res.status).toBe(200);
        const page = (await res.json()) as { id: string }[];
        page.forEach((d) => stored.add(d.id));
        if (page.length < 500) break;
      }
      expect(answered.filter((id) => !stored.has(id))).toEqual([]);
      expect(batched.length).toBeGreaterThanOrEqual(150);
      expect(batched.filter((id) => !stored.has(id))).toEqual([]);
    } finally {
      second.child.kill('SIGINT');
      await second.exited;
    }
  });
});
