import { fileURLToPath } from 'node:url';
import { defineConfig, type UserConfig } from 'vite';

/**
 * The Vite configuration every Custom UI surface builds with. Forge serves each resource from its own sub-path on a
 * CDN, so asset URLs must be relative (docs/architecture.md §8). JSX goes through Vite's own transform (automatic
 * runtime), so no React plugin is needed for a production build. Files every surface may ship (the app icon, zod's CSP
 * switch) come from static/common/public.
 */
export function customUiConfig(): UserConfig {
  return defineConfig({
    base: './',
    logLevel: 'warn',
    publicDir: fileURLToPath(new URL('./public', import.meta.url)),
    oxc: { jsx: { runtime: 'automatic' } },
    build: { outDir: 'build', emptyOutDir: true, chunkSizeWarningLimit: 700 },
  });
}
