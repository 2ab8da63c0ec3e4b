/**
 * Issue 15 acceptance 3: the first load stays within 500 kB gzip. What the browser fetches before the
 * first screen is what the built index.html names: the entry script, its modulepreloads and
 * stylesheets. Measured on the build that `npm test` runs after (turbo: test depends on build), and
 * the build's own guard (first-load-budget.ts) is shown to refuse a bundle over the budget.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { firstLoadBudget } from '../build/first-load-budget';

const DIST = path.join(__dirname, '..', 'dist');
const BUDGET_KB = 500;

describe('first load', () => {
  it(`downloads at most ${BUDGET_KB} kB gzip before the first screen (the built index.html's scripts, preloads and styles)`, () => {
    const html = readFileSync(path.join(DIST, 'index.html'), 'utf8');
    const files = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="(?:modulepreload|stylesheet)"[^>]*\shref)="\/([^"]+)"/g)].map((m) => m[1]);
    expect(files.some((f) => /^assets\/index-.*\.js$/.test(f))).toBe(true); // the entry is among them
    let total = 0;
    for (const file of files) {
      const full = path.join(DIST, file);
      expect(existsSync(full)).toBe(true);
      total += gzipSync(readFileSync(full), { level: 9 }).length / 1024;
    }
    console.info(`first load: ${total.toFixed(1)} kB gzip in ${files.length} files (budget ${BUDGET_KB} kB)`);
    expect(total).toBeGreaterThan(50); // react, MUI and react-admin are in it: a smaller figure means files were missed
    expect(total).toBeLessThanOrEqual(BUDGET_KB);
  });

  it('the build refuses a first load over the budget, and counts lazy chunks out', () => {
    const big = 'x'.repeat(10).concat(...Array.from({ length: 40_000 }, (_v, i) => `${i.toString(36)}${Math.sin(i)}`)); // ~0.8 MB, poorly compressible
    const bundle = (entryImports: string[]) => ({
      'index.js': {
        type: 'chunk',
        fileName: 'index.js',
        code: 'import "./a.js"',
        isEntry: true,
        imports: entryImports,
        viteMetadata: { importedCss: new Set<string>() },
      },
      'a.js': { type: 'chunk', fileName: 'a.js', code: big, isEntry: false, imports: [], viteMetadata: { importedCss: new Set<string>() } },
    });
    const run = (limitKb: number, entryImports: string[]) => {
      const plugin = firstLoadBudget({ limitKb }) as unknown as { generateBundle(this: unknown, options: unknown, bundle: unknown): void };
      const errors: string[] = [];
      const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
      try {
        plugin.generateBundle.call({ info: () => undefined, error: (m: string) => errors.push(m) }, {}, bundle(entryImports));
      } finally {
        log.mockRestore();
      }
      return errors;
    };
    expect(run(10, ['a.js'])).toEqual([expect.stringMatching(/^First load over budget: first load: \d+\.\d kB gzip \(budget 10 kB\)$/)]);
    expect(run(10, [])).toEqual([]); // a.js loaded lazily: not in the first load
    expect(run(100_000, ['a.js'])).toEqual([]);
  });
});
