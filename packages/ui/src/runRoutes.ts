import { type RunRef, readAllRows, type StoreAccess } from '@runlog/core';
import type { HistoryStream, RunPatch } from './dashboardTypes.js';
import { runDetail, runRecord } from './dashboardViews.js';
import { histogramsOverTime } from './histogramsOverTime.js';
import type { HistoryCache } from './historyCache.js';
import { HttpError } from './httpError.js';
import { sendJson } from './httpResponses.js';
import { queryInteger, queryNumber } from './queryNumber.js';
import { readRequestJson } from './readRequestJson.js';
import { type Route, route } from './route.js';
import { projectName, runRef } from './runRef.js';
import { serveRunFile } from './serveRunFile.js';
import { slimSummary } from './slimSummary.js';

const MAX_MEDIA_ENTRIES = 2000;
/** Steps a histogram heat map asks for at most. */
const MAX_HISTOGRAM_STEPS = 10_000;
/** Console output shown when a page opens: the last 256 KiB (then it follows from there). */
const OUTPUT_TAIL_BYTES = 256 * 1024;
/** Console output sent per request at most. */
const OUTPUT_CHUNK_BYTES = 4 * OUTPUT_TAIL_BYTES;

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

function parsePatch(body: Record<string, unknown>): RunPatch {
  const patch: RunPatch = {};
  if (body.name !== undefined) {
    if (typeof body.name !== 'string' || !body.name.trim()) throw new HttpError(400, 'name must be a non-empty string');
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
  if (unknown.length) throw new HttpError(400, `only name, notes and tags can be edited (got ${unknown.join(', ')})`);
  return patch;
}

/** Projects, runs and everything of one run: read routes plus the two explicit actions (edit, delete). */
export function runRoutes(access: StoreAccess, cache: HistoryCache): Route[] {
  const ref = (params: Record<string, string>): RunRef => runRef(params.project, params.id);
  return [
    route('GET', '/api/projects', async ({ res }) => {
      sendJson(res, { dir: access.location, projects: (await access.projects()).map((p) => p.name) });
    }),
    route('GET', '/api/projects/:project/runs', async ({ res, params, query }) => {
      const { runs } = await access.listRuns({
        project: projectName(params.project),
        filters: parseFilters(query.get('filters')),
        order: query.get('order') ?? undefined,
      });
      sendJson(res, { runs: runs.map((run) => slimSummary(runRecord(run))) });
    }),
    route('GET', '/api/runs/:project/:id', async ({ res, params }) => {
      sendJson(res, await runDetail(access, ref(params)));
    }),
    route('PATCH', '/api/runs/:project/:id', async ({ req, res, params }) => {
      const run = ref(params);
      const patch = parsePatch(await readRequestJson(req));
      sendJson(res, await runDetail(access, run, await access.updateRun(run, patch)));
    }),
    route('DELETE', '/api/runs/:project/:id', async ({ res, params, query }) => {
      const { project, id } = ref(params);
      if (query.get('confirm') !== id)
        throw new HttpError(400, `deleting a run needs confirmation: repeat its id as ?confirm=${id}`);
      // A live run is refused by the store (STATE_TRANSITION, answered 409): stop it first.
      await access.deleteRun({ project, id });
      cache.forget(project, id);
      sendJson(res, { deleted: `${project}/${id}` });
    }),
    route('GET', '/api/runs/:project/:id/keys', async ({ res, params, query }) => {
      const { project, id } = ref(params);
      const columns = await cache.get(project, id, streamOf(query));
      sendJson(res, { rows: columns.length, keys: columns.keys() });
    }),
    route('GET', '/api/runs/:project/:id/media', async ({ res, params, query }) => {
      const { project, id } = ref(params);
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
      const { project, id } = ref(params);
      const key = query.get('key');
      if (!key) throw new HttpError(400, 'query parameter key is required');
      const columns = await cache.get(project, id);
      sendJson(res, {
        key,
        ...histogramsOverTime(columns, key, { maxSteps: queryInteger(query, 'maxSteps', 1, MAX_HISTOGRAM_STEPS) }),
      });
    }),
    // Console output: from byte `from` (live follow) or, without it, the last 256 KiB; `offset` is where the next
    // request starts.
    route('GET', '/api/runs/:project/:id/output', async ({ res, params, query }) => {
      const from = queryNumber(query, 'from');
      const chunk = await access.readStream(ref(params), 'output', {
        offset: from === undefined ? -OUTPUT_TAIL_BYTES : Math.max(0, Math.floor(from)),
        maxBytes: OUTPUT_CHUNK_BYTES,
      });
      const offset = chunk.offset > chunk.size ? chunk.size : chunk.nextOffset;
      sendJson(res, { text: chunk.text, offset, size: chunk.size, truncated: from === undefined && chunk.offset > 0 });
    }),
    route('GET', '/api/runs/:project/:id/files', async ({ res, params }) => {
      const files = await access.listFiles(ref(params));
      sendJson(res, { files: files.map((f) => ({ name: f.name, size: f.size })) });
    }),
    route('GET', '/api/runs/:project/:id/alerts', async ({ res, params }) => {
      sendJson(res, { alerts: await readAllRows(access, ref(params), 'alerts') });
    }),
    route('GET', '/api/runs/:project/:id/artifacts', async ({ res, params }) => {
      sendJson(res, await runArtifactLinks(access, ref(params)));
    }),
    // Raw bytes of a file of a run (media, saved files): never outside that run. A logged HTML file opened
    // directly runs sandboxed (no scripts, its own origin), so it cannot call the actions above.
    route('GET', '/files/:project/:id/*', async ({ req, res, params }) => {
      await serveRunFile(req, res, access, ref(params), params.rest, { 'content-security-policy': 'sandbox' });
    }),
  ];
}

/** The artifact versions a run used and logged (its artifacts stream), each once, without opening any. */
export async function runArtifactLinks(access: StoreAccess, run: RunRef) {
  const logged = new Map<string, string | null>();
  const used = new Map<string, string | null>();
  for (const record of await readAllRows(access, run, 'artifacts')) {
    const { direction, artifact, type } = record as { direction?: unknown; artifact?: unknown; type?: unknown };
    if (typeof artifact !== 'string') continue;
    const into = direction === 'logged' ? logged : direction === 'used' ? used : undefined;
    if (into && !into.has(artifact)) into.set(artifact, typeof type === 'string' ? type : null);
  }
  const links = (map: Map<string, string | null>) => [...map].map(([artifact, type]) => ({ artifact, type }));
  return { logged: links(logged), used: links(used) };
}
