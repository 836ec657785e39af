import type { Table } from '../table.js';
import { Chart, field } from './chart.js';
import { checkColumns } from './checkColumns.js';

export interface ChartOptions {
  title?: string;
}

/**
 * A line chart of column `y` against column `x`; `stroke` names a column that splits it into several lines.
 * @example
 * run.log({ lr: plot.line(table, 'step', 'lr', { title: 'Learning rate' }) });
 */
export function line(table: Table, x: string, y: string, options: ChartOptions & { stroke?: string } = {}): Chart {
  checkColumns('plot.line', table, x, y, options.stroke);
  const encoding = {
    x: { field: field(x), type: 'quantitative', title: x },
    y: { field: field(y), type: 'quantitative', title: y },
    ...(options.stroke ? { color: { field: field(options.stroke), type: 'nominal', title: options.stroke } } : {}),
  };
  return new Chart('line', table, { mark: { type: 'line', point: false }, encoding }, options.title);
}

/** A scatter plot of column `y` against column `x`. */
export function scatter(table: Table, x: string, y: string, options: ChartOptions = {}): Chart {
  checkColumns('plot.scatter', table, x, y);
  const encoding = {
    x: { field: field(x), type: 'quantitative', title: x },
    y: { field: field(y), type: 'quantitative', title: y },
  };
  return new Chart('scatter', table, { mark: 'point', encoding }, options.title);
}

/** A horizontal bar per row: the `label` column names it, the `value` column sizes it (as wandb's plot.bar). */
export function bar(table: Table, label: string, value: string, options: ChartOptions = {}): Chart {
  checkColumns('plot.bar', table, label, value);
  const encoding = {
    y: { field: field(label), type: 'nominal', title: label, sort: null },
    x: { field: field(value), type: 'quantitative', title: value },
  };
  return new Chart('bar', table, { mark: 'bar', encoding }, options.title);
}

/** A histogram of the `value` column, binned by Vega-Lite. */
export function histogram(table: Table, value: string, options: ChartOptions & { maxBins?: number } = {}): Chart {
  checkColumns('plot.histogram', table, value);
  const encoding = {
    x: { field: field(value), type: 'quantitative', bin: { maxbins: options.maxBins ?? 64 }, title: value },
    y: { aggregate: 'count', type: 'quantitative', title: 'count' },
  };
  return new Chart('histogram', table, { mark: 'bar', encoding }, options.title);
}
