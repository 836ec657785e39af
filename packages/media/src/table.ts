import {
  encodeJson,
  isMediaValue,
  type JsonValue,
  type MediaRef,
  type MediaValue,
  type MediaWriteContext,
} from '@runlog/core';
import { mapWithConcurrency } from '@runlog/core/internal';
import { MediaInvalidError } from './errors/mediaInvalidError.js';
import { Media } from './media.js';

/** A table cell: a scalar, a date, JSON data, or any media value (its files are written with the table). */
export type TableCell = string | number | boolean | null | Date | MediaValue | JsonValue;

export interface TableOptions {
  /** Column names; default "Column 1", "Column 2"... for the width of the first row. */
  columns?: string[];
  /** Rows, each as wide as `columns`. */
  data?: TableCell[][];
}

/** The most rows one logged table may hold (as wandb). */
export const MAX_TABLE_ROWS = 10_000;
const NESTED_WRITES_IN_FLIGHT = 8;

/**
 * A table of scalars and media, written as `{"columns": [...], "data": [[...]]}` with media cells replaced by
 * their references. Later changes to a table do not change what was logged before.
 * @example
 * const table = new Table({ columns: ['image', 'label', 'score'] });
 * table.addData(new Image(pixels, { width: 28, height: 28 }), 'seven', 0.93);
 * run.log({ predictions: table });
 */
export class Table extends Media {
  readonly mediaKind = 'table';
  readonly columns: string[];
  #rows: TableCell[][] = [];

  constructor(options: TableOptions = {}) {
    super();
    const data = options.data ?? [];
    if (!Array.isArray(data)) throw new MediaInvalidError('Table: data must be an array of rows');
    const columns = options.columns ?? (data[0] ?? []).map((_, i) => `Column ${i + 1}`);
    if (!Array.isArray(columns) || columns.some((c) => typeof c !== 'string')) {
      throw new MediaInvalidError('Table: columns must be an array of strings');
    }
    const duplicate = columns.find((c, i) => columns.indexOf(c) !== i);
    if (duplicate !== undefined) throw new MediaInvalidError(`Table: column "${duplicate}" appears twice`);
    this.columns = [...columns];
    if (data.length > MAX_TABLE_ROWS) throw tooManyRows(data.length);
    data.forEach((row, i) => {
      this.#rows.push(this.#checkRow(row, i));
    });
  }

  get rows(): readonly (readonly TableCell[])[] {
    return this.#rows;
  }

  /** Appends one row: one value per column. */
  addData(...row: TableCell[]): void {
    if (this.#rows.length >= MAX_TABLE_ROWS) throw tooManyRows(this.#rows.length + 1);
    this.#rows.push(this.#checkRow(row, this.#rows.length));
  }

  /** Appends a column with one value per existing row (or creates the rows of an empty table). */
  addColumn(name: string, values: TableCell[]): void {
    if (typeof name !== 'string') throw new MediaInvalidError('Table.addColumn: the name must be a string');
    if (this.columns.includes(name)) throw new MediaInvalidError(`Table.addColumn: column "${name}" exists already`);
    if (!Array.isArray(values)) throw new MediaInvalidError('Table.addColumn: values must be an array');
    const empty = this.columns.length === 0 && this.#rows.length === 0;
    if (!empty && values.length !== this.#rows.length) {
      throw new MediaInvalidError(
        `Table.addColumn: "${name}" has ${values.length} values for ${this.#rows.length} rows`,
      );
    }
    if (values.length > MAX_TABLE_ROWS) throw tooManyRows(values.length);
    values.forEach((value, i) => {
      checkCell(value, `Table.addColumn: "${name}" value ${i}`);
    });
    this.columns.push(name);
    if (empty) this.#rows = values.map((value) => [value]);
    else this.#rows = this.#rows.map((row, i) => [...row, values[i]]);
  }

  /** The values of one column, in row order. */
  getColumn(name: string): TableCell[] {
    const index = this.columns.indexOf(name);
    if (index < 0)
      throw new MediaInvalidError(`Table.getColumn: no column "${name}" (columns: ${this.columns.join(', ')})`);
    return this.#rows.map((row) => row[index]);
  }

  async toMediaRef(context: MediaWriteContext): Promise<MediaRef> {
    // Snapshot synchronously: core calls this as the value is logged, so later addData calls are not included.
    const columns = [...this.columns];
    const rows = this.#rows.map((row) => [...row]);
    const cells: { row: number; column: number; value: MediaValue }[] = [];
    rows.forEach((row, r) => {
      row.forEach((value, c) => {
        if (isMediaValue(value)) cells.push({ row: r, column: c, value });
      });
    });
    const refs = await mapWithConcurrency(cells, NESTED_WRITES_IN_FLIGHT, (cell) => context.writeNested(cell.value));
    cells.forEach((cell, i) => {
      rows[cell.row][cell.column] = refs[i];
    });
    const bytes = new TextEncoder().encode(encodeJson({ columns, data: rows }));
    const file = await context.writeMediaFile('table', 'json', bytes);
    return { _type: 'table-file', ...file, ncols: columns.length, nrows: rows.length };
  }

  #checkRow(row: TableCell[], index: number): TableCell[] {
    if (!Array.isArray(row)) throw new MediaInvalidError(`Table: row ${index} must be an array`);
    if (row.length !== this.columns.length) {
      throw new MediaInvalidError(
        `Table: row ${index} has ${row.length} values, but the table has ${this.columns.length} columns`,
      );
    }
    row.forEach((value, c) => {
      checkCell(value, `Table: row ${index}, column "${this.columns[c]}"`);
    });
    return [...row];
  }
}

function tooManyRows(count: number): MediaInvalidError {
  return new MediaInvalidError(
    `Table: ${count} rows is more than the ${MAX_TABLE_ROWS} a logged table may hold; log several tables`,
  );
}

function checkCell(value: unknown, what: string): void {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return;
  if (value instanceof Date || isMediaValue(value)) return;
  if (typeof value === 'bigint' || typeof value === 'function' || typeof value === 'symbol' || value === undefined) {
    throw new MediaInvalidError(`${what}: a ${typeof value} cannot be stored in a table`);
  }
  if (typeof value === 'object' && !Array.isArray(value) && '_type' in value) {
    throw new MediaInvalidError(`${what}: "_type" is a reserved key`);
  }
}
