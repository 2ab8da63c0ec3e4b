import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { firstLoadBudget } from './build/first-load-budget.ts';

// Vendor code is split by library so the browser caches each separately; screens that pull in
// heavy code (rule builder, simulation charts) are React.lazy imports and stay out of the first load.
const vendorGroups: { name: string; test: RegExp; priority: number }[] = [
  {
    name: 'vendor-charts',
    test: /node_modules[\\/](recharts|d3-[a-z-]+|victory-vendor|decimal\.js-light|internmap|@reduxjs|redux|immer|reselect|es-toolkit)[\\/]/,
    priority: 30,
  },
  { name: 'vendor-react', test: /node_modules[\\/](react|react-dom|scheduler|react-is)[\\/]/, priority: 20 },
  { name: 'vendor-mui', test: /node_modules[\\/](@mui|@emotion|@popperjs|stylis|react-transition-group)[\\/]/, priority: 15 },
  { name: 'vendor-admin', test: /node_modules[\\/]/, priority: 10 },
];

export default defineConfig({
  plugins: [react(), firstLoadBudget({ limitKb: 500 })],
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: vendorGroups.map((g) => ({ ...g, tags: ['$initial'] as '$initial'[] })),
        },
      },
    },
  },
});
