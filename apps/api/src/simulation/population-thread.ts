/** Entry of the population pass thread (population-pass.ts): one pass, one answer, then the thread ends. */
import { parentPort, workerData } from 'node:worker_threads';
import { Pool } from 'pg';
import { collectCutoffs, type PopulationThreadData } from './population-collect';

const data = workerData as PopulationThreadData;
const db = new Pool({ connectionString: data.databaseUrl, max: 1, application_name: 'tierwise-population-pass' });
db.on('error', () => undefined);

collectCutoffs(db, data.input)
  .then(
    (r) => parentPort?.postMessage({ ok: true, cutoffs: r.cutoffs, ms: r.ms }),
    (e: unknown) => parentPort?.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) }),
  )
  .finally(() => void db.end());
