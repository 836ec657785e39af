import { join } from 'node:path';
import type { DashboardStore, HistoryStream, RunPatch, RunRecord } from './dashboardStore.js';
import { histogramsOverTime } from './histogramsOverTime.js';
import type { HistoryCache } from './historyCache.js';
import { HttpError } from './httpError.js';
import { sendJson } from './httpResponses.js';
import { queryNumber } from './queryNumber.js';
import { readOutputLog } from './readOutputLog.js';
import { readRequestJson } from './readRequestJson.js';
import { resolveInside } from './resolveInside.js';
import { type Route, route } from './route.js';
import { projectName, runRef } from './runRef.js';
import { serveFile } from './serveFile.js';

const MAX_MEDIA_ENTRIES = 2000;

function streamOf(query: URLSearchParams): HistoryStream {
  const stream = query.get('stream') ?? 'default';
  if (stream !== 'default' && stream !== 'system') throw new HttpError(400, 'stream must be default or system');
  return stream;
}

function parseFilters(text: string | null): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {}
  throw new HttpError(400, 'filters must be a JSON object, for example {"state":"finished"}');
}

/** The table needs a summary's scalars: a histogram or media reference is sent as its `_type` only. */
function slimSummary(run: RunRecord): RunRecord {
  const summary: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(run.summary)) {
    const type = value !== null && typeof value === 'object' ? (value as { _type?: unknown })._type : undefined;
    summary[key] = typeof type === 'string' && type !== 'float' && type !== 'date' ? { _type: type } : value;
  }
  return { ...run, summary };
}

/** Projects, runs and everything of one run: read routes plus the two explicit actions (edit, delete). */
export function runRoutes(store: DashboardStore, cache: HistoryCache): Route[] {
  return [
    route('GET', '/api/projects', async ({ res }) => {
      sendJson(res, { dir: store.dir, projects: await store.projects() });
    }),
    route('GET', '/api/projects/:project/runs', async ({ res, params, query }) => {
      const runs = await store.runs(projectName(params.project), {
        filters: parseFilters(query.get('filters')),
        order: query.get('order') ?? undefined,
      });
      sendJson(res, { runs: runs.map(slimSummary) });
    }),
    route('GET', '/api/runs/:project/:id', async ({ res, params }) => {
      const { project, id } = runRef(params.project, params.id);
      sendJson(res, await store.run(project, id));
    }),
    route('PATCH', '/api/runs/:project/:id', async ({ req, res, params }) => {
      const { project, id } = runRef(params.project, params.id);
      const body = await readRequestJson(req);
      const patch: RunPatch = {};
      if (body.name !== undefined) {
        if (typeof body.name !== 'string' || !body.name.trim())
          throw new HttpError(400, 'name must be a non-empty string');
        patch.name = body.name.trim();
      }
      if (body.notes !== undefined) {
        if (typeof body.notes !== 'string') throw new HttpError(400, 'notes must be a string');
        patch.notes = body.notes;
      }
      if (body.tags !== undefined) {
        if (!Array.isArray(body.tags) || !body.tags.every((t) => typeof t === 'string' && t.trim()))
          throw new HttpError(400, 'tags must be an array of non-empty strings');
        patch.tags = [...new Set((body.tags as string[]).map((t) => t.trim()))];
      }
      const unknown = Object.keys(body).filter((k) => !['name', 'notes', 'tags'].includes(k));
      if (unknown.length)
        throw new HttpError(400, `only name, notes and tags can be edited (got ${unknown.join(', ')})`);
      sendJson(res, await store.update(project, id, patch));
    }),
    route('DELETE', '/api/runs/:project/:id', async ({ res, params, query }) => {
      const { project, id } = runRef(params.project, params.id);
      if (query.get('confirm') !== id)
        throw new HttpError(400, `deleting a run needs confirmation: repeat its id as ?confirm=${id}`);
      await store.delete(project, id);
      cache.forget(project, id);
      sendJson(res, { deleted: `${project}/${id}` });
    }),
    route('GET', '/api/runs/:project/:id/keys', async ({ res, params, query }) => {
      const { project, id } = runRef(params.project, params.id);
      const columns = await cache.get(project, id, streamOf(query));
      sendJson(res, { rows: columns.length, keys: columns.keys() });
    }),
    route('GET', '/api/runs/:project/:id/media', async ({ res, params, query }) => {
      const { project, id } = runRef(params.project, params.id);
      const key = query.get('key');
      if (!key) throw new HttpError(400, 'query parameter key is required');
      const columns = await cache.get(project, id);
      const sparse = columns.sparseColumn(key);
      const steps = columns.column('_step');
      let rows = sparse?.rows ?? [];
      let values = sparse?.values ?? [];
      if (rows.length > MAX_MEDIA_ENTRIES) {
        const pick = Array.from({ length: MAX_MEDIA_ENTRIES }, (_, i) =>
          Math.round((i * (rows.length - 1)) / (MAX_MEDIA_ENTRIES - 1)),
        );
        values = pick.map((i) => values[i]);
        rows = pick.map((i) => rows[i]);
      }
      sendJson(res, { key, steps: rows.map((r) => (steps ? steps[r] : r)), values, total: sparse?.rows.length ?? 0 });
    }),
    route('GET', '/api/runs/:project/:id/histograms', async ({ res, params, query }) => {
      const { project, id } = runRef(params.project, params.id);
      const key = query.get('key');
      if (!key) throw new HttpError(400, 'query parameter key is required');
      const columns = await cache.get(project, id);
      sendJson(res, { key, ...histogramsOverTime(columns, key, { maxSteps: queryNumber(query, 'maxSteps') }) });
    }),
    route('GET', '/api/runs/:project/:id/output', async ({ res, params, query }) => {
      const { project, id } = runRef(params.project, params.id);
      sendJson(res, await readOutputLog(join(store.runDir(project, id), 'output.log'), queryNumber(query, 'from')));
    }),
    route('GET', '/api/runs/:project/:id/files', async ({ res, params }) => {
      const { project, id } = runRef(params.project, params.id);
      sendJson(res, { files: await store.files(project, id) });
    }),
    route('GET', '/api/runs/:project/:id/alerts', async ({ res, params }) => {
      const { project, id } = runRef(params.project, params.id);
      sendJson(res, { alerts: await store.alerts(project, id) });
    }),
    route('GET', '/api/runs/:project/:id/artifacts', async ({ res, params }) => {
      const { project, id } = runRef(params.project, params.id);
      sendJson(res, await store.runArtifacts(project, id));
    }),
    // Raw bytes of a file in a run folder (media, saved files): never outside that folder. A logged HTML file
    // opened directly runs sandboxed (no scripts, its own origin), so it cannot call the actions above.
    route('GET', '/files/:project/:id/*', async ({ req, res, params }) => {
      const { project, id } = runRef(params.project, params.id);
      const path = await resolveInside(store.runDir(project, id), params.rest);
      await serveFile(req, res, path, 'no-cache', { 'content-security-policy': 'sandbox' });
    }),
  ];
}
