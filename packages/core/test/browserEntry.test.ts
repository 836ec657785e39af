// @runlog/core/browser runs in a web page (the dashboard app, @runlog/browser): nothing it imports, however
// indirectly, may need Node. The check walks its import graph in the sources.
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { decodeJson, encodeJson, metricResolver } from '@runlog/core/browser';
import { describe, expect, it } from 'vitest';

const src = join(import.meta.dirname, '..', 'src');
const NODE = new Set(builtinModules);
/** Dependencies that run in a web page as they are (the hook bus's emitter). */
const BROWSER_SAFE = new Set(['eventemitter3']);

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

describe('@runlog/core/browser', () => {
  it('imports nothing from Node, directly or through the modules it uses', () => {
    const graph = importGraph(join(src, 'browser.ts'));
    expect(graph.size).toBeGreaterThan(2);
    for (const [file, specifiers] of graph) {
      for (const specifier of specifiers) {
        const bare = specifier.replace(/^node:/, '');
        expect(specifier.startsWith('node:') || NODE.has(bare), `${file} imports ${specifier}`).toBe(false);
        expect(
          specifier.startsWith('.') || specifier.startsWith('node:') || BROWSER_SAFE.has(specifier),
          `${file} imports ${specifier}`,
        ).toBe(true);
      }
    }
  });

  it("round-trips runlog's values and resolves keys as the engine does (exact name first, latest glob, '?' literal)", () => {
    const value = {
      nan: Number.NaN,
      inf: Number.POSITIVE_INFINITY,
      zero: -0,
      when: new Date(0),
      list: [1, Number.NaN],
    };
    const back = decodeJson(encodeJson(value)) as typeof value;
    expect(Number.isNaN(back.nan)).toBe(true);
    expect(back.inf).toBe(Number.POSITIVE_INFINITY);
    expect(Object.is(back.zero, -0)).toBe(true);
    expect(back.when).toEqual(new Date(0));
    const definitionOf = metricResolver([
      { name: 'batch/batch_step', hidden: true },
      { name: 'batch/*', stepMetric: 'batch/batch_step' },
      { name: 'batch/lo*', stepMetric: 'later' },
      { name: 'a?c', stepMetric: 'literal' },
    ]);
    expect(definitionOf('batch/batch_step')?.stepMetric).toBeUndefined(); // the exact name wins over the glob
    expect(definitionOf('batch/batch_step')?.hidden).toBe(true);
    expect(definitionOf('batch/loss')?.stepMetric).toBe('later'); // the latest matching glob
    expect(definitionOf('batch/acc')?.stepMetric).toBe('batch/batch_step');
    expect(definitionOf('a?c')?.stepMetric).toBe('literal');
    expect(definitionOf('abc')).toBeUndefined(); // '?' is not a wildcard
  });
});
