// Shared jest settings: @swc/jest compiles TypeScript (with legacy decorators + metadata for NestJS)
// to CommonJS; NestJS 12, file-type and content-disposition (under @fastify/static) ship ESM only, so they are compiled too.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true, tsx: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, react: { runtime: 'automatic' } },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|file-type|@tokenizer|token-types|strtok3|uint8array-extras|@fastify/static|content-disposition)/)'],
  // FC_SEED replays property tests (see jest.fast-check.cjs)
  setupFiles: [require('node:path').join(__dirname, 'jest.fast-check.cjs')],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'cjs', 'json'],
};
