import type { StoreAccess } from '@runlog/core';
import type { HistoryStream } from './dashboardTypes.js';
import type { HistoryCache } from './historyCache.js';
import { HttpError } from './httpError.js';
import { sendJson } from './httpResponses.js';
import { OUTLINE_MIN_ROWS, outlineAnswers, outlineKeys, outlineSeries } from './outlineSeries.js';
import { queryNumber } from './queryNumber.js';
import { type Route, route } from './route.js';
import { runRefs } from './runRef.js';
import { seriesQuery } from './seriesQuery.js';

const DEFAULT_BUCKETS = 1000;
const MAX_RUNS = 50;

/**
 * Chart data: one key of several runs, M4-downsampled, for an x range (zooming asks again at full detail). A long
 * history not read yet is first drawn from its index (`source: 'index'`) while its rows are read in the
 * background; later requests answer from the rows (`source: 'rows'`).
 */
export function seriesRoutes(cache: HistoryCache, access: StoreAccess): Route[] {
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
      const toWarm: Array<{ project: string; id: string }> = [];
      const series = await Promise.all(
        runs.map(async ({ project, id }) => {
          // Until its rows are read, a long history is drawn from its index (a zoom reads only its blocks).
          if (stream === 'default' && !cache.isReady(project, id, stream)) {
            const outline = await cache.outline(project, id);
            const fromOutline = outlineAnswers(outline, request)
              ? await outlineSeries(outline, request, { wideFromOutline: cache.remote })
              : undefined;
            if (fromOutline) {
              if (!cache.remote) toWarm.push({ project, id });
              return { run: `${project}/${id}`, ...fromOutline, source: 'index' };
            }
          }
          const columns = await cache.get(project, id, stream);
          return { run: `${project}/${id}`, ...seriesQuery(columns, request), source: 'rows' };
        }),
      );
      sendJson(res, { key, x: xKey, buckets: request.buckets, series });
      for (const { project, id } of toWarm) cache.warm(project, id, stream);
    }),
    route('GET', '/api/keys', async ({ res, query }) => {
      const runs = runRefs(query.get('runs'));
      if (runs.length > MAX_RUNS) throw new HttpError(400, `at most ${MAX_RUNS} runs at once`);
      const stream = (query.get('stream') ?? 'default') as HistoryStream;
      // Each key with its kind and the runs that logged it (a panel is drawn only for those).
      const keys = new Map<string, { key: string; kind: string; runs: string[] }>();
      for (const { project, id } of runs) {
        const held = stream === 'system' || cache.isReady(project, id, 'default');
        const outline = held ? undefined : await cache.outline(project, id);
        const runKeys =
          outline && outline.indexedRows >= OUTLINE_MIN_ROWS
            ? outlineKeys(outline, (await access.readRun({ project, id })).summary)
            : (await cache.get(project, id, stream === 'system' ? 'system' : 'default')).keys();
        for (const { key, kind } of runKeys) {
          const entry = keys.get(key) ?? { key, kind, runs: [] };
          entry.runs.push(`${project}/${id}`);
          keys.set(key, entry);
        }
      }
      sendJson(res, { keys: [...keys.values()] });
    }),
  ];
}
