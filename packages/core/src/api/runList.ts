import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { RunlogError } from '../errors/runlogError.js';
import { compileRunFilter, type RunFilter } from './runFilter.js';
import { compileRunOrder, type RunOrder } from './runOrder.js';
import { loadRunSnapshot, type RunSnapshot } from './runSnapshot.js';
import { RunView } from './runView.js';

export interface RunsOptions {
  filters?: RunFilter;
  order?: RunOrder;
  /** Runs per page of `pages()`; also how many run folders are read at once. Default 50. */
  perPage?: number;
}

/** A run folder that could not be read (no run.json, damaged JSON): listed here, never fatal to a listing. */
export interface SkippedRun {
  path: string;
  reason: string;
}

/**
 * The runs of one or more projects that match a filter, in order. Iterate it (`for await (const run of runs)`),
 * page through it, or `toArray()`. Filters and order are checked when `api.runs()` is called.
 */
export class RunList implements AsyncIterable<RunView> {
  /** Run folders left out because they could not be read; filled once the list is loaded. */
  readonly skipped: SkippedRun[] = [];
  private loaded: Promise<RunView[]> | undefined;
  private readonly matches: ReturnType<typeof compileRunFilter>;
  private readonly compare: ReturnType<typeof compileRunOrder>;
  private readonly perPage: number;

  constructor(
    private readonly folders: () => Promise<{ project: string; runsDir: string }[]>,
    options: RunsOptions,
    private readonly storeDir: string,
  ) {
    this.matches = compileRunFilter(options.filters);
    this.compare = compileRunOrder(options.order);
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
    const candidates: { project: string; id: string; dir: string }[] = [];
    for (const { project, runsDir } of await this.folders()) {
      const entries = await readdir(runsDir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        if (entry.isDirectory()) candidates.push({ project, id: entry.name, dir: join(runsDir, entry.name) });
      }
    }
    const snapshots: RunSnapshot[] = [];
    for (let i = 0; i < candidates.length; i += this.perPage) {
      const batch = candidates.slice(i, i + this.perPage);
      const results = await Promise.allSettled(batch.map((c) => loadRunSnapshot(c.dir, c.project, c.id)));
      results.forEach((result, j) => {
        if (result.status === 'fulfilled') snapshots.push(result.value);
        else {
          const { project, id } = batch[j];
          this.skipped.push({ path: `${project}/${id}`, reason: (result.reason as Error).message });
        }
      });
    }
    return snapshots
      .filter(this.matches)
      .sort(this.compare)
      .map((snapshot) => new RunView(snapshot, this.storeDir));
  }
}
