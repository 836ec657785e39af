// @runlog/browser, @runlog/tfjs/browser and @runlog/media/browser run in a web page: nothing they import, however indirectly, may need
// Node. Checked on the sources (the import graph) and on the built ESM (bundled for the browser by esbuild).
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const packages = join(import.meta.dirname, '..', '..');
/** The bare imports a page resolves as they are (browser-safe entries and dependencies). */
const BROWSER_SAFE = new Set([
  '@runlog/core/browser',
  '@runlog/tfjs/browser',
  '@runlog/media/browser',
  'eventemitter3',
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-layers',
]);

function importGraph(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const visit = (file: string) => {
    if (graph.has(file)) return;
    const text = readFileSync(file, 'utf8');
    const specifiers = [...text.matchAll(/(?:import|export)[^'"]*?from\s*'([^']+)'|import\s*'([^']+)'/g)].map(
      (m) => m[1] ?? m[2],
    );
    graph.set(file, specifiers);
    for (const specifier of specifiers) {
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
    }
  };
  visit(entry);
  return graph;
}

describe('browser entries', () => {
  it.each([
    ['@runlog/browser', join(packages, 'browser', 'src', 'index.ts')],
    ['@runlog/tfjs/browser', join(packages, 'tfjs', 'src', 'browser.ts')],
    ['@runlog/media/browser', join(packages, 'media', 'src', 'browser.ts')],
  ])('%s imports nothing from Node in its sources', (_name, entry) => {
    const graph = importGraph(entry);
    expect(graph.size).toBeGreaterThan(3);
    for (const [file, specifiers] of graph) {
      for (const specifier of specifiers) {
        const bare = specifier.replace(/^node:/, '');
        expect(specifier.startsWith('node:') || builtinModules.includes(bare), `${file} imports ${specifier}`).toBe(
          false,
        );
        expect(specifier.startsWith('.') || BROWSER_SAFE.has(specifier), `${file} imports ${specifier}`).toBe(true);
      }
    }
  });

  it('the built ESM bundles for a browser with no Node built-in (tfjs left to the page)', async () => {
    const result = await build({
      entryPoints: [join(packages, 'browser', 'dist', 'index.js')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      external: ['@tensorflow/*'],
      write: false,
      logLevel: 'silent',
    });
    const text = result.outputFiles[0].text;
    expect(text).not.toMatch(/from\s*["']node:|require\(["']node:/);
    expect(text).toContain('QUOTA_EXCEEDED');
    // watch(model) made it in, with media's histograms and method wrapping (through @runlog/tfjs/browser).
    expect(text).toContain('ALREADY_WATCHED');
    expect(text).toContain('runlog.wrapped-original');
  });
});
