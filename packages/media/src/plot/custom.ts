import type { JsonObject } from '@runlog/core';
import { MediaInvalidError } from '../errors/mediaInvalidError.js';
import type { Table } from '../table.js';
import { Chart } from './chart.js';
import { checkColumns } from './checkColumns.js';

/**
 * Any Vega-Lite spec over a table (wandb's plot_table): the table's rows become the spec's `data.values`.
 * @example
 * run.log({ pareto: plot.custom(table, { mark: 'point', encoding: { x: { field: 'latency', type: 'quantitative' } } }) });
 */
export function custom(table: Table, spec: JsonObject, options: { title?: string } = {}): Chart {
  checkColumns('plot.custom', table);
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec))
    throw new MediaInvalidError('plot.custom: spec must be an object');
  if ('data' in spec) throw new MediaInvalidError("plot.custom: leave out the spec's data; the table provides it");
  return new Chart('custom', table, spec, options.title);
}
