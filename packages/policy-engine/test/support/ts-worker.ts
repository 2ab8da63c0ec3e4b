/**
 * Run a TypeScript module in a worker thread, outside jest's sandbox. Code in jest's vm context
 * runs ~10× slower (every global lookup goes through the context), which matters for the
 * heavy property tests; a worker compiles the sources with @swc/core and runs them natively.
 */
import { Worker } from 'node:worker_threads';

const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const swc = require(workerData.swcPath);
require.extensions['.ts'] = function (module, filename) {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
require(workerData.entry);
`;

export function runTsWorker<T>(entry: string, data: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      workerData: { entry, swcPath: require.resolve('@swc/core'), data },
    });
    let settled = false;
    worker.once('message', (m: T) => {
      settled = true;
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`worker exited with code ${code} before answering`));
    });
  });
}
