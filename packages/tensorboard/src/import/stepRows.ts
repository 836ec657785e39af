/**
 * Values gathered from event files, one row per step (several tags at one step make one row), with TensorBoard's
 * purge rules for restarted writers.
 */
export class StepRows {
  readonly rows = new Map<number, Record<string, unknown>>();

  set(step: number, key: string, value: unknown): void {
    let row = this.rows.get(step);
    if (row === undefined) {
      row = {};
      this.rows.set(step, row);
    }
    row[key] = value;
  }

  /**
   * Drops values at `step` and later whose key passes `matches` (a restart: TensorBoard purges what the crashed
   * writer logged past the step the new one starts from). Returns how many values were dropped.
   */
  purge(step: number, matches: (key: string) => boolean): number {
    let dropped = 0;
    for (const [rowStep, row] of this.rows) {
      if (rowStep < step) continue;
      for (const key of Object.keys(row)) {
        if (!matches(key)) continue;
        delete row[key];
        dropped++;
      }
      if (Object.keys(row).length === 0) this.rows.delete(rowStep);
    }
    return dropped;
  }

  /** Takes the rows at steps below `before` (all rows by default), in step order. */
  take(before = Number.POSITIVE_INFINITY): Array<[number, Record<string, unknown>]> {
    const steps: number[] = [];
    for (const step of this.rows.keys()) if (step < before) steps.push(step);
    steps.sort((a, b) => a - b);
    const out: Array<[number, Record<string, unknown>]> = [];
    for (const step of steps) {
      out.push([step, this.rows.get(step) as Record<string, unknown>]);
      this.rows.delete(step);
    }
    return out;
  }

  get size(): number {
    return this.rows.size;
  }

  /** The smallest step held, or undefined. */
  firstStep(): number | undefined {
    let first: number | undefined;
    for (const step of this.rows.keys()) if (first === undefined || step < first) first = step;
    return first;
  }
}
