import type { TableCell } from '../table.js';
import { MAX_TABLE_ROWS } from '../table.js';

/**
 * Rows [class, x, y] for several curves, within a table's row limit: a curve with too many points keeps evenly
 * spaced ones, always its first and last (the metrics are computed on the full curves).
 */
export function curveRows(curves: { name: string; x: number[]; y: number[] }[]): TableCell[][] {
  const perCurve = Math.floor(MAX_TABLE_ROWS / Math.max(1, curves.length));
  const rows: TableCell[][] = [];
  for (const { name, x, y } of curves) {
    const n = x.length;
    const step = n > perCurve ? (n - 1) / (perCurve - 1) : 1;
    const count = Math.min(n, perCurve);
    for (let k = 0; k < count; k++) {
      const i = k === count - 1 ? n - 1 : Math.round(k * step);
      rows.push([name, x[i], y[i]]);
    }
  }
  return rows;
}

/** An axis of a curve chart: the table column and its title. */
export interface CurveAxis {
  field: string;
  title: string;
}

/** The Vega-Lite spec of per-class curves over the unit square, one line per class drawn in `x` order. */
export function curveSpec(x: CurveAxis, y: CurveAxis, interpolate: 'linear' | 'step-after') {
  return {
    mark: { type: 'line', interpolate },
    encoding: {
      x: { field: x.field, type: 'quantitative', title: x.title, scale: { domain: [0, 1] } },
      y: { field: y.field, type: 'quantitative', title: y.title, scale: { domain: [0, 1] } },
      color: { field: 'class', type: 'nominal' },
      order: { field: x.field, type: 'quantitative' },
    },
  };
}
