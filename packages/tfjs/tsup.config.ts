import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.base.js';

// Two entries: Node's public API, and the browser-safe callback logic @runlog/browser builds on.
export default defineConfig({ ...libraryBuild, entry: ['src/index.ts', 'src/browser.ts'] });
