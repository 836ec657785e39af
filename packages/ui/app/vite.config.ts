import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The dashboard app: plain TypeScript + DOM, built into the package's dist/app (served by src/appRoutes.ts).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/app', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
  },
});
