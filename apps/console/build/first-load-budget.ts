import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

interface ChunkLike {
  type: 'chunk';
  fileName: string;
  code: string;
  isEntry: boolean;
  imports: string[];
  viteMetadata?: { importedCss: Set<string> };
}
interface AssetLike {
  type: 'asset';
  fileName: string;
  source: string | Uint8Array;
}
type Output = ChunkLike | AssetLike;

const gzipKb = (content: string | Uint8Array): number => gzipSync(content, { level: 9 }).length / 1024;

/**
 * Measures what the browser downloads before the first screen renders: the entry chunk, every
 * chunk it imports statically (transitively) and their CSS, gzipped. Prints the total and fails
 * the build when it exceeds the budget. Lazy (dynamic-import) chunks are listed but not counted.
 */
export function firstLoadBudget({ limitKb }: { limitKb: number }): Plugin {
  return {
    name: 'tierwise-first-load-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = bundle as unknown as Record<string, Output>;
      const entry = Object.values(files).find((f): f is ChunkLike => f.type === 'chunk' && f.isEntry);
      if (!entry) return;
      const initial = new Set<string>();
      const visit = (name: string): void => {
        if (initial.has(name)) return;
        initial.add(name);
        const file = files[name];
        if (file?.type === 'chunk') {
          file.imports.forEach(visit);
          file.viteMetadata?.importedCss.forEach((css) => initial.add(css));
        }
      };
      visit(entry.fileName);
      let total = 0;
      const lines: string[] = [];
      for (const file of Object.values(files)) {
        const size = gzipKb(file.type === 'chunk' ? file.code : file.source);
        const first = initial.has(file.fileName);
        if (first) total += size;
        if (file.fileName.endsWith('.js') || file.fileName.endsWith('.css')) {
          lines.push(`  ${first ? 'first-load' : 'lazy      '}  ${size.toFixed(1).padStart(7)} kB gzip  ${file.fileName}`);
        }
      }
      lines.sort();
      this.info(`bundle sizes:\n${lines.join('\n')}`);
      const summary = `first load: ${total.toFixed(1)} kB gzip (budget ${limitKb} kB)`;
      console.log(`\n[tierwise] ${summary}`);
      if (total > limitKb) this.error(`First load over budget: ${summary}`);
    },
  };
}
