import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.base.js';

// Three entries: the public API, helpers for sibling packages, and the browser-safe codec.
export default defineConfig({ ...libraryBuild, entry: ['src/index.ts', 'src/internal.ts', 'src/browser.ts'] });
