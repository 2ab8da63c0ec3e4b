/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, loaded by worker threads outside jest */
// Entry of the webhook delivery thread when the api runs from its TypeScript sources (the tests): compiles
// each .ts file the thread loads with the same swc settings as jest, so threads always run the current
// source and never a stale dist/. Production loads dist/events/delivery-thread.js instead.
const fs = require('node:fs');
const path = require('node:path');
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

module.exports = require(path.resolve(__dirname, '..', '..', 'src', 'events', 'delivery-thread.ts'));
