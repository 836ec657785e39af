import type { RunQuery, SkippedRun } from '../access/runData.js';
import type { StoreAccess } from '../access/storeAccess.js';
import { RunlogError } from '../errors/runlogError.js';
import { compileRunFilter, type RunFilter } from './runFilter.js';
import { compileRunOrder, type RunOrder } from './runOrder.js';
import { RunView } from './runView.js';

export type { SkippedRun };

export interface RunsOptions {
  filters?: RunFilter;
  order?: RunOrder;
  /** Runs per page of `pages()`. Default 50. */
  perPage?: number;
}

/**
 * The runs of one or more projects that match a filter, in order. Iterate it (`for await (const run of runs)`),
 * page through it, or `toArray()`. Filters and order are checked when `api.runs()` is called.
 */
export class RunList implements AsyncIterable<RunView> {
  /** Runs left out because they could not be read; filled once the list is loaded. */
  readonly skipped: SkippedRun[] = [];
  private loaded: Promise<RunView[]> | undefined;
  private readonly perPage: number;

  constructor(
    private readonly access: StoreAccess,
    private readonly query: RunQuery,
    options: RunsOptions = {},
  ) {
    // Checked here so a bad filter throws at the call that made it, before anything is read.
    compileRunFilter(query.filters);
    compileRunOrder(query.order);
    const perPage = options.perPage ?? 50;
    if (!Number.isInteger(perPage) || perPage < 1) {
      throw new RunlogError('INVALID_ARGUMENT', `perPage must be a positive integer, got ${perPage}`);
    }
    this.perPage = perPage;
  }

  toArray(): Promise<RunView[]> {
    this.loaded ??= this.load();
    return this.loaded;
  }

  /** How many runs match. */
  async count(): Promise<number> {
    return (await this.toArray()).length;
  }

  async *pages(): AsyncGenerator<RunView[]> {
    const runs = await this.toArray();
    for (let i = 0; i < runs.length; i += this.perPage) yield runs.slice(i, i + this.perPage);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RunView> {
    for (const run of await this.toArray()) yield run;
  }

  private async load(): Promise<RunView[]> {
    const { runs, skipped } = await this.access.listRuns(this.query);
    this.skipped.push(...skipped);
    return runs.map((data) => new RunView(data, this.access));
  }
}
