// The API's layering, declared once: each folder of apps/api/src may import only the folders listed
// before it (and itself). The lint (eslint-plugin-boundaries, in `npm test` through each workspace's
// lint) fails on any other import between folders, so neither an upward import nor a folder cycle
// can appear. A new capability gets its folder a place here; the README's layout draws this list.
import path from 'node:path';

export const API_LAYERS = [
  'common', // errors, access (roles, decorators), validation, export writer, logging, settings
  'config', // the one validated configuration
  'metrics', // Prometheus series (prom-client): every module records its own
  'audit',
  'jobs', // the shared job machinery: JobStore, typed statuses, piscina threads, BullMQ
  'users',
  'auth',
  'catalog',
  'policies',
  'policy-files', // policies as files (export, import)
  'templates', // the shipped policy files
  'evaluation',
  'entitlements', // may this customer have this benefit (on evaluation and the ledger's official tier)
  'datasets',
  'simulation',
  'rating',
  'events', // tier events outbox, webhooks (fed by the ledger's hooks)
  'health',
  'bootstrap', // seeding at start (users, templates)
  'database', // the schema: every entity, the migrations, the connection
];

/** The app's entry files (app.ts, app.module.ts, main.ts, worker.ts) sit on top and may import any folder. */
const APP = 'app';

const ROOT = path.dirname(path.dirname(path.dirname(new URL(import.meta.url).pathname)));

/** The eslint config block enforcing API_LAYERS on apps/api/src. */
export function apiBoundaries(plugin) {
  const elements = [...API_LAYERS.map((name) => ({ type: name, pattern: `apps/api/src/${name}` })), { type: APP, pattern: 'apps/api/src' }];
  const policies = [...API_LAYERS, APP].map((name, i, all) => ({
    from: { element: { type: name } },
    allow: { to: { element: { types: { anyOf: all.slice(0, i + 1) } } } },
  }));
  return {
    files: ['apps/api/src/**/*.ts'],
    plugins: { boundaries: plugin },
    settings: {
      'boundaries/root-path': ROOT,
      'boundaries/elements': elements,
      'import/resolver': { typescript: { project: path.join(ROOT, 'apps/api/tsconfig.json') } },
    },
    rules: {
      'boundaries/dependencies': ['error', { default: 'disallow', policies }],
      'boundaries/no-unknown-files': 'error',
    },
  };
}
