import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const workspaceRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Static files only: the gateway serves them under /ops with a content security policy of
 * `default-src 'self'`, so the build inlines no script and loads nothing from elsewhere.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/ops/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: `${workspaceRoot}dist/apps/ops-console`,
    emptyOutDir: true,
    // The module preload helper would be inlined into index.html, which the policy refuses.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
});
