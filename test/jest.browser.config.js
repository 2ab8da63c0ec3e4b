// Browser end-to-end tests: the real API (embedded PostgreSQL) serving the built console, driven
// by Chromium through playwright-core. `turbo run test:browser` builds both apps first.
const preset = require('../jest.preset.js');

/** @type {import('jest').Config} */
module.exports = {
  ...preset,
  rootDir: __dirname,
  testMatch: ['<rootDir>/browser/**/*.test.ts'],
  testTimeout: 120000,
};
