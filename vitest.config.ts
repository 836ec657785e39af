import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string, entry = 'index') =>
  fileURLToPath(new URL(`./packages/${pkg}/src/${entry}.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the TypeScript sources; the CLI tests run the built binary.
    alias: {
      // Subpaths first: an alias also matches imports that start with it.
      '@runlog/core/internal': src('core', 'internal'),
      '@runlog/core/browser': src('core', 'browser'),
      '@runlog/core': src('core'),
      '@runlog/media/browser': src('media', 'browser'),
      '@runlog/media': src('media'),
      '@runlog/tfjs/browser': src('tfjs', 'browser'),
      '@runlog/tfjs': src('tfjs'),
      '@runlog/browser': src('browser'),
      '@runlog/onnx': src('onnx'),
      '@runlog/ui': src('ui'),
      '@runlog/tensorboard': src('tensorboard'),
      '@runlog/sweeps': src('sweeps'),
      '@runlog/server': src('server'),
    },
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});
