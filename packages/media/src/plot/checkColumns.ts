import { MediaInvalidError } from '../errors/mediaInvalidError.js';
import { Table } from '../table.js';

/** Checks `table` is a Table holding every named column. */
export function checkColumns(what: string, table: unknown, ...columns: (string | undefined)[]): Table {
  if (!(table instanceof Table)) throw new MediaInvalidError(`${what}: expected a Table as first argument`);
  for (const column of columns) {
    if (column !== undefined && !table.columns.includes(column)) {
      throw new MediaInvalidError(
        `${what}: the table has no column "${column}" (columns: ${table.columns.join(', ')})`,
      );
    }
  }
  return table;
}
