// Browser end-to-end tests: the real API (embedded PostgreSQL) serving the built console, driven
// by Chromium through playwright-core. `turbo run test:browser` builds both apps first.
const preset = require('../jest.preset.js');

/** @type {import('jest').Config} */
module.exports = {
  ...preset,
  rootDir: __dirname,
  testMatch: ['<rootDir>/browser/**/*.test.ts'],
  // the API's first start once per run; each file's server starts on a copy of its data (browser/app-server.ts)
  globalSetup: '<rootDir>/browser/global-setup.ts',
  globalTeardown: '<rootDir>/browser/global-teardown.ts',
  testTimeout: 120000,
};
