import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.base.js';

// For web pages: no Node shims, a browser target. @runlog/* and tfjs stay imports (a page's bundler resolves them
// to one copy of tfjs); nothing below src/ imports Node (checked by test/noNodeImports.test.ts).
export default defineConfig({ ...libraryBuild, platform: 'browser', shims: false, target: 'es2022' });
