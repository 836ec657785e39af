import type { ServerResponse } from 'node:http';
import type { StoreAccess } from '@runlog/core';
import type { HistoryStream } from './dashboardTypes.js';
import type { HistoryCache } from './historyCache.js';
import { type Route, route } from './route.js';
import { type RunRef, runRefs } from './runRef.js';

interface Subscriber {
  res: ServerResponse;
  runs: RunRef[];
  /** Last seen size of each watched stream and state of each run: an event goes out when one changes. */
  seen: Map<string, number | string>;
}

const STREAMS: HistoryStream[] = ['default', 'system'];

/**
 * Server-sent events for live runs. Every interval the streams of the subscribed runs are sized; when one grew,
 * the cached history reads only the appended bytes, and the subscriber gets
 * `event: history` `{ run, stream, rows, size }` (then asks /api/series with `after=` for the new points), and
 * `event: state` `{ run, state }` on subscribing and whenever a run's state changes.
 */
export class LiveUpdates {
  private readonly subscribers = new Set<Subscriber>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(
    private readonly access: StoreAccess,
    private readonly cache: HistoryCache,
    private readonly intervalMs = 1000,
  ) {}

  routes(): Route[] {
    return [route('GET', '/api/live', ({ res, query }) => this.subscribe(res, runRefs(query.get('runs'))))];
  }

  private subscribe(res: ServerResponse, runs: RunRef[]): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write(`retry: 2000\n: watching ${runs.length} runs\n\n`);
    const subscriber: Subscriber = { res, runs, seen: new Map() };
    this.subscribers.add(subscriber);
    res.on('close', () => {
      this.subscribers.delete(subscriber);
      if (!this.subscribers.size) this.stop();
    });
    // The first check announces the current sizes and states: rows or a state change may have come between
    // the page's load and this subscription; the client asks only for points after the ones it holds.
    void this.check(subscriber);
    if (!this.timer) {
      this.timer = setInterval(() => void this.poll(), this.intervalMs);
      this.timer.unref();
    }
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      for (const subscriber of this.subscribers) await this.check(subscriber);
    } finally {
      this.polling = false;
    }
  }

  private async check(subscriber: Subscriber): Promise<void> {
    for (const { project, id } of subscriber.runs) {
      const run = `${project}/${id}`;
      for (const stream of STREAMS) {
        const size = await this.access
          .streamSize({ project, id }, stream === 'system' ? 'system' : 'history')
          .catch(() => 0);
        const key = `${run}:${stream}`;
        if (subscriber.seen.get(key) === size) continue;
        subscriber.seen.set(key, size);
        await this.cache.refresh(project, id, stream).catch(() => 0);
        this.send(subscriber, 'history', { run, stream, size });
      }
      const state = await this.access.readRun({ project, id }).then(
        (r) => r.state,
        () => 'deleted',
      );
      // The state is sent on subscribing too: it may have changed between the page's load and its subscription.
      if (subscriber.seen.get(`${run}:state`) !== state) {
        subscriber.seen.set(`${run}:state`, state);
        this.send(subscriber, 'state', { run, state });
      }
    }
  }

  private send(subscriber: Subscriber, event: string, data: unknown): void {
    subscriber.res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  close(): void {
    this.stop();
    for (const subscriber of this.subscribers) subscriber.res.end();
    this.subscribers.clear();
  }
}
