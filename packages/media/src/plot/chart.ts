import type { JsonObject, MediaRef, MediaWriteContext } from '@runlog/core';
import { encodeJson, isMediaValue } from '@runlog/core';
import { Media } from '../media.js';
import type { Table } from '../table.js';

/** What a chart draws; `custom` for a spec written by hand with `plot.custom`. */
export type ChartKind =
  | 'line'
  | 'scatter'
  | 'bar'
  | 'histogram'
  | 'confusion-matrix'
  | 'pr-curve'
  | 'roc-curve'
  | 'custom';

/**
 * A chart: its data as a Table and a Vega-Lite spec that renders it. Logging it writes the table (a table file)
 * and the spec (`media/plot/….json`, the table's rows inlined as `data.values`, so the spec renders on its own).
 */
export class Chart extends Media {
  readonly mediaKind = 'plot';

  constructor(
    readonly kind: ChartKind,
    readonly table: Table,
    /** The Vega-Lite spec without its data; the rows are added when the chart is written. */
    readonly spec: JsonObject,
    readonly title = '',
  ) {
    super();
  }

  /** The full Vega-Lite spec, the table's rows inlined. */
  toVegaLite(): JsonObject {
    const values = this.table.rows.map((row) => {
      const record: JsonObject = {};
      this.table.columns.forEach((column, i) => {
        const value = row[i];
        // Vega reads plain JSON: non-finite numbers become null, media cells are left out.
        if (typeof value === 'number') record[column] = Number.isFinite(value) ? value : null;
        else if (!isMediaValue(value) && !(value instanceof Date)) record[column] = value;
      });
      return record;
    });
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      ...(this.title ? { title: this.title } : {}),
      data: { values },
      ...this.spec,
    };
  }

  async toMediaRef(context: MediaWriteContext): Promise<MediaRef> {
    const spec = this.toVegaLite();
    const tableRef = await context.writeNested(this.table);
    const file = await context.writeMediaFile('plot', 'json', new TextEncoder().encode(encodeJson(spec)));
    return { _type: 'plot-file', chart: this.kind, title: this.title, ...file, table: tableRef };
  }
}

/** A Vega-Lite field reference: dots and brackets in column names are literal, not nested access. */
export function field(name: string): string {
  return name.replace(/[.[\]\\]/g, (c) => `\\${c}`);
}
