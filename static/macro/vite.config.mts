import { defineConfig } from 'vite';

// Forge serves each resource from its own sub-path on a CDN: asset URLs must be relative (DESIGN.md §8).
// JSX goes through Vite's own transform (automatic runtime), so no React plugin is needed for a production build.
export default defineConfig({
  base: './',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic' } },
  build: { outDir: 'build', emptyOutDir: true, chunkSizeWarningLimit: 700 },
});
