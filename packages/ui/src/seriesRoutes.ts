import type { HistoryStream } from './dashboardStore.js';
import type { HistoryCache } from './historyCache.js';
import { HttpError } from './httpError.js';
import { sendJson } from './httpResponses.js';
import { queryNumber } from './queryNumber.js';
import { type Route, route } from './route.js';
import { runRefs } from './runRef.js';
import { seriesQuery } from './seriesQuery.js';

const DEFAULT_BUCKETS = 1000;
const MAX_RUNS = 50;

/** Chart data: one key of several runs, M4-downsampled, for an x range (zooming asks again at full detail). */
export function seriesRoutes(cache: HistoryCache): Route[] {
  return [
    route('GET', '/api/series', async ({ res, query }) => {
      const runs = runRefs(query.get('runs'));
      if (runs.length > MAX_RUNS) throw new HttpError(400, `at most ${MAX_RUNS} runs per chart`);
      const key = query.get('key');
      if (!key) throw new HttpError(400, 'query parameter key is required');
      const stream = (query.get('stream') ?? 'default') as HistoryStream;
      if (stream !== 'default' && stream !== 'system') throw new HttpError(400, 'stream must be default or system');
      const xKey = query.get('x') ?? (stream === 'system' ? '_runtime' : '_step');
      const request = {
        key,
        xKey,
        xMin: queryNumber(query, 'xmin'),
        xMax: queryNumber(query, 'xmax'),
        after: queryNumber(query, 'after'),
        buckets: queryNumber(query, 'buckets') ?? DEFAULT_BUCKETS,
      };
      const series = await Promise.all(
        runs.map(async ({ project, id }) => {
          const columns = await cache.get(project, id, stream);
          return { run: `${project}/${id}`, ...seriesQuery(columns, request) };
        }),
      );
      sendJson(res, { key, x: xKey, buckets: request.buckets, series });
    }),
    route('GET', '/api/keys', async ({ res, query }) => {
      const runs = runRefs(query.get('runs'));
      if (runs.length > MAX_RUNS) throw new HttpError(400, `at most ${MAX_RUNS} runs at once`);
      const stream = (query.get('stream') ?? 'default') as HistoryStream;
      // Each key with its kind and the runs that logged it (a panel is drawn only for those).
      const keys = new Map<string, { key: string; kind: string; runs: string[] }>();
      for (const { project, id } of runs) {
        const columns = await cache.get(project, id, stream === 'system' ? 'system' : 'default');
        for (const { key, kind } of columns.keys()) {
          const entry = keys.get(key) ?? { key, kind, runs: [] };
          entry.runs.push(`${project}/${id}`);
          keys.set(key, entry);
        }
      }
      sendJson(res, { keys: [...keys.values()] });
    }),
  ];
}
