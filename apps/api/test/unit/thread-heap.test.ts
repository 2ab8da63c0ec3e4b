import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { threadsAtDefaultYoungGeneration } from '../../src/common/thread-heap';

/**
 * The API starts with --max-semi-space-size=64 for its request thread; V8's flags are the process's, so without
 * threadsAtDefaultYoungGeneration() every job thread had a 128 MiB new space too (~450 MiB of the 10M import's RSS).
 */
describe('worker threads after threadsAtDefaultYoungGeneration()', () => {
  /** A thread's new space (MiB) once it has allocated enough short-lived objects to grow it to its most. */
  const newSpaceOfAThread = () =>
    new Promise<number>((resolve, reject) => {
      const w = new Worker(
        `const v8 = require('node:v8');
         let keep = [];
         for (let i = 0; i < 3e6; i++) { keep.push({ a: i, b: [i] }); if (keep.length > 2e5) keep = []; }
         const s = v8.getHeapSpaceStatistics().find((x) => x.space_name === 'new_space');
         require('node:worker_threads').parentPort.postMessage(s.space_size / 2 ** 20);`,
        { eval: true },
      );
      w.once('message', (mib: number) => resolve(mib));
      w.once('error', reject);
    });

  afterAll(() => threadsAtDefaultYoungGeneration());

  it('get V8 default young generation, not the 2 × 64 MiB of the start command', async () => {
    setFlagsFromString('--max-semi-space-size=64'); // as `node --max-semi-space-size=64 dist/main.js`
    expect(await newSpaceOfAThread()).toBeGreaterThanOrEqual(100);
    threadsAtDefaultYoungGeneration();
    expect(await newSpaceOfAThread()).toBeLessThanOrEqual(32);
  }, 30_000);
});
