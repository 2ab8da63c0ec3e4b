/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, loaded by worker threads outside jest */
// Entry of every worker thread of the api when it runs from its TypeScript sources (the tests): the
// piscina job threads (jobs/job-thread.ts, the default) and the webhook delivery thread
// (workerData.tsEntry = 'events/delivery-thread.ts'). Compiles each .ts file the thread loads with the
// same swc settings as jest, so threads always run the current source and never a stale dist/.
// Production loads dist/jobs/job-thread.js and dist/events/delivery-thread.js instead.
const fs = require('node:fs');
const path = require('node:path');
const { workerData } = require('node:worker_threads');
const swc = require('@swc/core');

const options = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

require.extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), { ...options, filename });
  module._compile(code, filename);
};

const src = path.resolve(__dirname, '..', '..', 'src');
const requested = workerData && typeof workerData.tsEntry === 'string' ? workerData.tsEntry : 'jobs/job-thread.ts';
const entry = path.resolve(src, requested);
if (!entry.startsWith(src + path.sep) || !entry.endsWith('-thread.ts')) throw new Error(`not a thread entry: ${requested}`);
module.exports = require(entry);
