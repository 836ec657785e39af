import { readFileSync } from 'node:fs';
import { Image, MediaInvalidError, plot, Table } from '@runlog/media';
import { afterAll, describe, expect, it } from 'vitest';
import { MediaTestContext } from './helpers/mediaTestContext.js';
import { renderVegaLite } from './helpers/renderVegaLite.js';

const context = new MediaTestContext('charts', 2);
afterAll(() => context.dispose());

const readJson = (path: string) => JSON.parse(readFileSync(context.resolve(path), 'utf8'));

describe('plot', () => {
  const table = new Table({
    columns: ['step', 'val.loss', 'split'],
    data: [
      [0, 1.0, 'a'],
      [1, 0.6, 'a'],
      [0, 0.9, 'b'],
      [1, 0.5, 'b'],
    ],
  });

  it('line/scatter/bar/histogram write their table and a Vega-Lite spec that renders it', async () => {
    const charts = [
      plot.line(table, 'step', 'val.loss', { stroke: 'split', title: 'Loss' }),
      plot.scatter(table, 'step', 'val.loss'),
      plot.bar(table, 'split', 'val.loss'),
      plot.histogram(table, 'val.loss'),
    ];
    for (const chart of charts) {
      const ref = await chart.toMediaRef(context);
      expect(ref).toMatchObject({
        _type: 'plot-file',
        chart: chart.kind,
        table: { _type: 'table-file', nrows: 4, ncols: 3 },
      });
      expect(ref.path).toMatch(/^media\/plot\/charts_2_[0-9a-f]{20}\.json$/);
      const spec = readJson(ref.path as string);
      expect(spec.data.values).toHaveLength(4);
      expect(spec.data.values[1]).toEqual({ step: 1, 'val.loss': 0.6, split: 'a' });
      const svg = await renderVegaLite(spec);
      expect(svg).toContain('<svg');
      expect(svg).toMatch(/<path|<rect/);
      const written = readJson((ref.table as { path: string }).path);
      expect(written.columns).toEqual(['step', 'val.loss', 'split']);
    }
  });

  it('confusionMatrix counts every (actual, predicted) pair, from preds or from probs', async () => {
    const classNames = ['cat', 'dog', 'bird'];
    const chart = plot.confusionMatrix({
      yTrue: [0, 0, 1, 2, 2, 2],
      preds: ['cat', 'dog', 'dog', 'bird', 'cat', 'bird'],
      classNames,
    });
    expect(chart.matrix).toEqual([
      [1, 1, 0],
      [0, 1, 0],
      [1, 0, 2],
    ]);
    const fromProbs = plot.confusionMatrix({
      yTrue: [0, 1],
      probs: [
        [0.2, 0.7, 0.1],
        [0.1, 0.8, 0.1],
      ],
      classNames,
    });
    expect(fromProbs.matrix[0]).toEqual([0, 1, 0]);
    const ref = await chart.toMediaRef(context);
    const tableFile = readJson((ref.table as { path: string }).path);
    expect(tableFile.columns).toEqual(['Actual', 'Predicted', 'nPredictions']);
    expect(tableFile.data).toContainEqual(['bird', 'bird', 2]);
    expect(tableFile.data).toHaveLength(9);
    expect(await renderVegaLite(readJson(ref.path as string))).toContain('<svg');
  });

  it('rocCurve and prCurve: per-class curves with scikit-learn AUC and average precision', async () => {
    // class "pos" scores are the documented sklearn example: AUC 0.75, AP 0.8333...
    const yTrue = [0, 0, 1, 1];
    const probs = [
      [0.9, 0.1],
      [0.6, 0.4],
      [0.65, 0.35],
      [0.2, 0.8],
    ];
    const roc = plot.rocCurve(yTrue, probs, ['neg', 'pos']);
    expect(roc.auc.pos).toBe(0.75);
    expect(roc.auc.neg).toBe(0.75);
    const pr = plot.prCurve(yTrue, probs, ['neg', 'pos']);
    expect(pr.averagePrecision.pos).toBeCloseTo(0.8333333333333333, 15);
    const rocRef = await roc.toMediaRef(context);
    const rocTable = readJson((rocRef.table as { path: string }).path);
    expect(rocTable.columns).toEqual(['class', 'fpr', 'tpr']);
    expect(rocTable.data.filter((row: unknown[]) => row[0] === 'pos')).toEqual([
      ['pos', 0, 0],
      ['pos', 0, 0.5],
      ['pos', 0.5, 0.5],
      ['pos', 0.5, 1],
      ['pos', 1, 1],
    ]);
    expect(await renderVegaLite(readJson(rocRef.path as string))).toContain('<svg');
    const prRef = await pr.toMediaRef(context);
    expect(readJson((prRef.table as { path: string }).path).columns).toEqual(['class', 'recall', 'precision']);
  });

  it('keeps curve tables within the row limit while computing metrics on the full curves', () => {
    const n = 30_000;
    const yTrue = Array.from({ length: n }, (_, i) => i % 2);
    const probs = Array.from({ length: n }, (_, i) => {
      const p = ((i * 7919) % n) / n;
      return [1 - p, p];
    });
    const roc = plot.rocCurve(yTrue, probs, ['a', 'b']);
    expect(roc.table.rows.length).toBeLessThanOrEqual(10_000);
    expect(roc.auc.b).toBeGreaterThan(0.4);
  });

  describe('bad input', () => {
    const cases: [string, () => unknown][] = [
      ['a missing column', () => plot.line(table, 'step', 'nope')],
      ['not a table', () => plot.scatter({} as Table, 'a', 'b')],
      [
        'labels outside the class list',
        () =>
          plot.rocCurve(
            [0, 3],
            [
              [0.5, 0.5],
              [0.5, 0.5],
            ],
            ['a', 'b'],
          ),
      ],
      ['unknown class names', () => plot.confusionMatrix({ yTrue: ['a', 'z'], preds: [0, 1], classNames: ['a', 'b'] })],
      ['probs of the wrong width', () => plot.prCurve([0, 1], [[0.5], [0.5]], ['a', 'b'])],
      [
        'NaN scores',
        () =>
          plot.rocCurve(
            [0, 1],
            [
              [Number.NaN, 1],
              [0, 1],
            ],
            ['a', 'b'],
          ),
      ],
      [
        'preds and probs together',
        () => plot.confusionMatrix({ yTrue: [0], preds: [0], probs: [[1, 0]], classNames: ['a', 'b'] }),
      ],
      ['duplicate class names', () => plot.confusionMatrix({ yTrue: [0], preds: [0], classNames: ['a', 'a'] })],
    ];
    for (const [name, make] of cases) {
      it(name, () => {
        expect(make).toThrow(MediaInvalidError);
      });
    }
  });

  it('a chart over a table with media cells writes those cells too', async () => {
    const withImages = new Table({ columns: ['x', 'y', 'img'] });
    withImages.addData(1, 2, new Image(new Uint8Array(12), { width: 2, height: 2, channels: 3 }));
    const ref = await plot.scatter(withImages, 'x', 'y').toMediaRef(context);
    const rows = readJson((ref.table as { path: string }).path).data;
    expect(rows[0][2]._type).toBe('image-file');
  });
});
