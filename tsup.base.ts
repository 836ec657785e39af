import type { Options } from 'tsup';

/** Every package's library build: ESM + CommonJS + type declarations for Node 20 (tfjs users still `require`). */
export const libraryBuild: Options = {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  shims: true,
  target: 'node20',
};
