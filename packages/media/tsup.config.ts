import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.base.js';

// Two entries: Node's public API, and the browser-safe part (histograms, method wrapping) for web pages.
export default defineConfig({ ...libraryBuild, entry: ['src/index.ts', 'src/browser.ts'] });
