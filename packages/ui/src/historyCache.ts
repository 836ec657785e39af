import { HistoryOutline, type RunRef, type StoreAccess } from '@runlog/core';
import type { HistoryStream } from './dashboardTypes.js';
import { HistoryColumns } from './historyColumns.js';

interface Entry {
  columns: HistoryColumns;
  /** Byte offset in the stream up to which rows are in `columns` (a chunk's `nextOffset`). */
  offset: number;
  /** `_step` (or `_timestamp` for the system stream) of the last row held: later reads skip rows up to it. */
  lastOrder: number;
  usedAt: number;
  /** Serialises the first read and the tails of one entry. */
  pending: Promise<unknown>;
  /** The first read is done: the columns hold the whole history. */
  ready: boolean;
}

/** How long after a history was drawn from its index its rows start being read. */
const WARM_DELAY_MS = 1000;

const orderKey = (stream: HistoryStream) => (stream === 'system' ? '_timestamp' : '_step');
const streamName = (stream: HistoryStream) => (stream === 'system' ? 'system' : 'history');

/**
 * Column copies of the histories the dashboard shows, fed by one reader: the store's `readStream`, chunk by
 * chunk from offset 0, then from the last chunk's `nextOffset`, so a live run's new rows cost what they weigh,
 * not the whole stream. Least recently used histories are dropped past `maxBytes`.
 */
export class HistoryCache {
  private readonly entries = new Map<string, Entry>();
  /** History outlines (indexes), by run, with the history size they were loaded at. */
  private readonly outlines = new Map<string, { size: number; outline: HistoryOutline | undefined }>();
  private readonly warmTimers = new Map<string, NodeJS.Timeout>();

  /**
   * The store is a runlog server (`new Api({ host })`): a long history's rows are not read whole in the
   * background (a million rows over HTTP for each chart a page shows); its charts and wide zooms are drawn from
   * the outline, narrow zooms from the rows of their blocks.
   */
  readonly remote: boolean;

  constructor(
    private readonly access: StoreAccess,
    private readonly maxBytes = 2 * 1024 ** 3,
  ) {
    this.remote = /^https?:\/\//i.test(access.location);
  }

  /** The columns of a history, brought up to date with what has been appended. */
  async get(project: string, id: string, stream: HistoryStream = 'default'): Promise<HistoryColumns> {
    const cacheKey = `${project}/${id}/${stream}`;
    let entry = this.entries.get(cacheKey);
    if (!entry) {
      const created: Entry = {
        columns: new HistoryColumns(),
        offset: 0,
        lastOrder: Number.NEGATIVE_INFINITY,
        usedAt: Date.now(),
        pending: Promise.resolve(),
        ready: false,
      };
      created.pending = this.read(created, { project, id }, stream).then(() => {
        created.ready = true;
      });
      this.entries.set(cacheKey, created);
      entry = created;
      try {
        await created.pending;
      } catch (error) {
        this.entries.delete(cacheKey);
        throw error;
      }
      this.evict(cacheKey);
    } else {
      const current = entry;
      current.pending = current.pending.then(() => this.read(current, { project, id }, stream));
      await current.pending;
    }
    entry.usedAt = Date.now();
    return entry.columns;
  }

  /** Reads appended rows of a history already held; returns how many arrived (0 when not held). */
  async refresh(project: string, id: string, stream: HistoryStream = 'default'): Promise<number> {
    const entry = this.entries.get(`${project}/${id}/${stream}`);
    if (!entry) return 0;
    const before = entry.columns.length;
    entry.pending = entry.pending.then(() => this.read(entry, { project, id }, stream));
    await entry.pending;
    return entry.columns.length - before;
  }

  /**
   * The run's history outline (its index), reloaded when the history has grown: lets a long history be drawn
   * before its rows are read.
   */
  async outline(project: string, id: string): Promise<HistoryOutline | undefined> {
    const key = `${project}/${id}`;
    const run = { project, id };
    const size = await this.access.streamSize(run, 'history').catch(() => 0);
    const known = this.outlines.get(key);
    if (known && known.size === size) return known.outline;
    const data = await this.access.historyOutline(run).catch(() => undefined);
    const outline = data ? new HistoryOutline(data, this.access, run) : undefined;
    this.outlines.set(key, { size, outline });
    return outline;
  }

  /**
   * Reads a history into columns in the background (zooms and later requests then answer from it), a moment
   * from now: the first charts of a page are drawn before a long read takes the server's thread.
   */
  warm(project: string, id: string, stream: HistoryStream = 'default', delayMs = WARM_DELAY_MS): void {
    const key = `${project}/${id}/${stream}`;
    if (this.entries.has(key) || this.warmTimers.has(key)) return;
    const timer = setTimeout(() => {
      this.warmTimers.delete(key);
      this.get(project, id, stream).catch(() => {});
    }, delayMs);
    timer.unref();
    this.warmTimers.set(key, timer);
  }

  /** Cancels background reads not started yet (the server is closing). */
  dispose(): void {
    for (const timer of this.warmTimers.values()) clearTimeout(timer);
    this.warmTimers.clear();
  }

  /** True once a history's first read is complete (a read under way does not count). */
  isReady(project: string, id: string, stream: HistoryStream = 'default'): boolean {
    return this.entries.get(`${project}/${id}/${stream}`)?.ready === true;
  }

  forget(project: string, id: string): void {
    for (const stream of ['default', 'system'] as const) this.entries.delete(`${project}/${id}/${stream}`);
    this.outlines.delete(`${project}/${id}`);
  }

  /** Reads the stream from the entry's offset to its end (the whole history on first use). */
  private async read(entry: Entry, run: RunRef, stream: HistoryStream): Promise<void> {
    const key = orderKey(stream);
    for (;;) {
      const chunk = await this.access.readStream(run, streamName(stream), { offset: entry.offset });
      if (chunk.size < entry.offset) {
        // The stream shrank (run deleted and made again): start over.
        entry.columns = new HistoryColumns();
        entry.lastOrder = Number.NEGATIVE_INFINITY;
        entry.offset = 0;
        continue;
      }
      for (const row of chunk.rows) this.add(entry, row, key);
      entry.offset = chunk.nextOffset;
      // Caught up, or only a line still being written is left.
      if (chunk.nextOffset >= chunk.size || chunk.nextOffset === chunk.offset) return;
    }
  }

  private add(entry: Entry, row: Record<string, unknown>, key: string): void {
    const order = row[key];
    if (typeof order === 'number') {
      if (order <= entry.lastOrder) return;
      entry.lastOrder = order;
    }
    entry.columns.append(row);
  }

  private evict(keep: string): void {
    let total = 0;
    for (const entry of this.entries.values()) total += entry.columns.bytes();
    const byAge = [...this.entries].sort((a, b) => a[1].usedAt - b[1].usedAt);
    for (const [key, entry] of byAge) {
      if (total <= this.maxBytes) break;
      if (key === keep) continue;
      total -= entry.columns.bytes();
      this.entries.delete(key);
    }
  }
}
