/**
 * A history held column by column for fast range queries: one Float64Array per numeric key (NaN where a row did
 * not log it) and, for everything else (media references, histograms, strings), the sparse list of rows that
 * have a value. Nested plain objects are flattened into key paths (`val.acc`), as docs/FORMAT.md names them.
 */
export type KeyKind = 'number' | string;

export interface SparseColumn {
  rows: number[];
  values: unknown[];
}

const INITIAL_CAPACITY = 1024;

export class HistoryColumns {
  length = 0;
  private capacity = INITIAL_CAPACITY;
  private readonly numeric = new Map<string, Float64Array>();
  private readonly sparse = new Map<string, SparseColumn>();

  append(row: Record<string, unknown>): void {
    if (this.length === this.capacity) this.grow();
    this.put('', row, this.length);
    this.length++;
  }

  private put(prefix: string, object: Record<string, unknown>, index: number): void {
    for (const key in object) {
      const value = object[key];
      const path = prefix + key;
      if (typeof value === 'number') this.numericColumn(path)[index] = value;
      else if (typeof value === 'boolean') this.numericColumn(path)[index] = value ? 1 : 0;
      else if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)) {
        const nested = value as Record<string, unknown>;
        if (typeof nested._type === 'string') this.addSparse(path, index, nested);
        else this.put(`${path}.`, nested, index);
      } else if (value !== null && value !== undefined) this.addSparse(path, index, value);
    }
  }

  private addSparse(key: string, index: number, value: unknown): void {
    let column = this.sparse.get(key);
    if (!column) {
      column = { rows: [], values: [] };
      this.sparse.set(key, column);
    }
    column.rows.push(index);
    column.values.push(value);
  }

  private numericColumn(key: string): Float64Array {
    let column = this.numeric.get(key);
    if (!column) {
      column = new Float64Array(this.capacity).fill(Number.NaN);
      this.numeric.set(key, column);
    }
    return column;
  }

  private grow(): void {
    this.capacity *= 2;
    for (const [key, column] of this.numeric) {
      const bigger = new Float64Array(this.capacity).fill(Number.NaN);
      bigger.set(column);
      this.numeric.set(key, bigger);
    }
  }

  /** The numeric column of `key` (length = row count), or undefined when the key never held a number. */
  column(key: string): Float64Array | undefined {
    return this.numeric.get(key)?.subarray(0, this.length);
  }

  sparseColumn(key: string): SparseColumn | undefined {
    return this.sparse.get(key);
  }

  /** Every key with its kind: 'number', or the `_type` of its values ('image-file', 'histogram', 'text'...), or 'string'. */
  keys(): Array<{ key: string; kind: KeyKind }> {
    const out: Array<{ key: string; kind: KeyKind }> = [];
    for (const key of this.numeric.keys()) out.push({ key, kind: 'number' });
    for (const [key, column] of this.sparse) {
      if (this.numeric.has(key)) continue;
      const last = column.values[column.values.length - 1];
      const type = last !== null && typeof last === 'object' ? (last as { _type?: unknown })._type : undefined;
      out.push({ key, kind: typeof type === 'string' ? type : 'string' });
    }
    return out;
  }

  /** Approximate memory held, for the cache's budget. */
  bytes(): number {
    let sparseValues = 0;
    for (const column of this.sparse.values()) sparseValues += column.rows.length;
    return this.numeric.size * this.capacity * 8 + sparseValues * 64;
  }
}
