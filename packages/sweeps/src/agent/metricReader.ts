import { Api, resolveKeyPath } from '@runlog/core';

/**
 * Follows one metric of a trial's run through core's read API: each refresh reads only the rows after the last
 * step it saw. A run that does not exist yet (its program is starting) simply has no values.
 */
export class MetricReader {
  private readonly values: unknown[] = [];
  private nextStep = 0;
  private readonly api: Api;

  constructor(
    store: string,
    private readonly path: string,
    private readonly metric: string,
  ) {
    this.api = new Api({ dir: store });
  }

  /** Every value of the metric logged so far, in step order. */
  async refresh(): Promise<unknown[]> {
    try {
      const run = await this.api.run(this.path);
      for await (const row of run.scanHistory({ keys: [this.metric], minStep: this.nextStep })) {
        const step = row._step;
        if (typeof step === 'number') this.nextStep = step + 1;
        this.values.push(resolveKeyPath(row, this.metric));
      }
    } catch {
      // not written yet, or the metric is not logged yet: nothing new
    }
    return this.values;
  }

  /** The metric's summary value (what a run that logged no history of it still reports). */
  async summaryValue(): Promise<unknown> {
    try {
      return resolveKeyPath((await this.api.run(this.path)).summary, this.metric);
    } catch {
      return undefined;
    }
  }
}
