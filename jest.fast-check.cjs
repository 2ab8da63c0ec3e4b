// Every jest run (all workspaces, through jest.preset.js): property tests are reproducible. Set FC_SEED=<integer>
// to replay a run: every fc.assert / fc.check without its own seed then uses it. Without it, fast-check draws a
// seed per property and prints `seed` and `path` when one fails — re-run that test file with FC_SEED=<seed>.
const fc = require('fast-check');

if (process.env.FC_SEED !== undefined) {
  const seed = Number(process.env.FC_SEED);
  if (!Number.isInteger(seed)) throw new Error(`FC_SEED must be a whole number, got "${process.env.FC_SEED}"`);
  fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
}
