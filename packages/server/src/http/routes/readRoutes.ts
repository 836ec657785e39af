import { decodeJson } from '@runlog/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { canSee, requireRole } from '../../auth/roles.js';
import { isDocument } from '../../ingest/documents.js';
import { findRun } from '../../ingest/runRows.js';
import { isStream } from '../../ingest/streamBatch.js';
import { listFiles, openRunFile } from '../../read/fileReads.js';
import { compactHistoryOutline, historyOutline, readHistoryRange, readHistoryRows } from '../../read/historyReads.js';
import { listRuns, metricDefinitions, projects, readRun } from '../../read/runReads.js';
import { readOutput, readRowStream, streamSize } from '../../read/streamReads.js';
import { safeName } from '../names.js';
import { integerQuery, numberQuery, param, runParams, stringQuery } from '../params.js';
import { readJsonObject } from '../requestBody.js';
import type { ServerContext } from '../serverContext.js';
import { ServerError } from '../serverError.js';
import { sendFileRange } from './fileResponse.js';

const RUN = '/api/v1/projects/:project/runs/:run';

/** A query parameter holding JSON (a filter, an order), decoded with runlog's value codec (dates, NaN). */
function jsonQuery(request: FastifyRequest, name: string): unknown {
  const text = stringQuery(request, name);
  if (text === undefined) return undefined;
  try {
    return decodeJson(text);
  } catch {
    throw new ServerError(400, 'FILTER_INVALID', `${name} must be JSON, e.g. {"state":"finished"} or "-createdAt"`);
  }
}

/** `keys=["loss","val.acc"]`: a JSON list of key paths. */
function keyList(text: string): string[] {
  let keys: unknown;
  try {
    keys = JSON.parse(text);
  } catch {
    keys = undefined;
  }
  if (!Array.isArray(keys) || keys.length > 1000 || !keys.every((k) => typeof k === 'string')) {
    throw new ServerError(400, 'INVALID_ARGUMENT', 'keys must be a JSON list of key paths, e.g. ["loss"]');
  }
  return keys;
}

/**
 * The store-access seam over HTTP (docs/SERVER.md, "Read API"): one endpoint per StoreAccess read method, with
 * the seam's plain data as JSON (values as the store encodes them: the client decodes with core's codec), and
 * file bytes as bytes. A remote StoreAccess is a thin mapping of these.
 */
export function readRoutes(app: FastifyInstance, { db, blobs }: ServerContext): void {
  const readable = async (request: FastifyRequest) => {
    const { project, runId } = runParams(request);
    requireRole(request.principal, project, 'read');
    return findRun(db, project, runId);
  };

  app.get('/api/v1/projects', async (request) => projects(db, (p) => canSee(request.principal, p)));

  app.get('/api/v1/runs', async (request) => {
    const raw = stringQuery(request, 'project');
    const project = raw === undefined ? undefined : safeName('project', raw);
    if (project !== undefined) requireRole(request.principal, project, 'read');
    const query = { project, filters: jsonQuery(request, 'filters'), order: jsonQuery(request, 'order') };
    return listRuns(db, query, (p) => canSee(request.principal, p));
  });

  app.get(RUN, async (request) => {
    const { project, runId } = runParams(request);
    requireRole(request.principal, project, 'read');
    return readRun(db, project, runId);
  });

  app.get(`${RUN}/metric-definitions`, async (request) => {
    const { project, runId } = runParams(request);
    requireRole(request.principal, project, 'read');
    return metricDefinitions(db, project, runId);
  });

  app.get(`${RUN}/streams/:stream`, async (request) => {
    const runPk = await readable(request);
    const stream = param(request, 'stream');
    if (!isStream(stream)) throw new ServerError(404, 'NOT_FOUND', `no stream ${JSON.stringify(stream.slice(0, 40))}`);
    const keys = stringQuery(request, 'keys');
    const read = {
      offset: numberQuery(request, 'offset'),
      last: integerQuery(request, 'last'),
      minStep: numberQuery(request, 'minStep'),
      maxBytes: integerQuery(request, 'maxBytes'),
      keys: keys === undefined ? undefined : keyList(keys),
    };
    return stream === 'output' ? readOutput(db, runPk, read) : readRowStream(db, runPk, stream, read);
  });

  app.get(`${RUN}/streams/:stream/size`, async (request) => {
    const runPk = await readable(request);
    const stream = param(request, 'stream');
    if (!isStream(stream)) throw new ServerError(404, 'NOT_FOUND', 'no such stream');
    return { size: await streamSize(db, runPk, stream) };
  });

  app.get(`${RUN}/history/outline`, async (request, reply) => {
    const runPk = await readable(request);
    // format=compact: blocks as tuples, written by PostgreSQL (what the remote store asks for); else objects.
    if (stringQuery(request, 'format') === 'compact') {
      reply.type('application/json; charset=utf-8');
      return `{"outline":${await compactHistoryOutline(db, runPk)}}`;
    }
    return { outline: (await historyOutline(db, runPk)) ?? null };
  });

  app.get(`${RUN}/history/range`, async (request) => {
    const runPk = await readable(request);
    const min = numberQuery(request, 'minStep') ?? 0;
    const max = numberQuery(request, 'maxStep') ?? Number.MAX_SAFE_INTEGER;
    return { rows: await readHistoryRange(db, runPk, min, max) };
  });

  app.post(`${RUN}/history/rows`, async (request) => {
    const runPk = await readable(request);
    const body = await readJsonObject(request);
    const list = (value: unknown) => (Array.isArray(value) ? value.slice(0, 100_000).map(Number) : []);
    return { rows: await readHistoryRows(db, runPk, list(body.positions), list(body.steps)) };
  });

  app.get(`${RUN}/files`, async (request) => listFiles(db, await readable(request)));

  app.get(`${RUN}/files/*`, async (request, reply) => {
    const runPk = await readable(request);
    const file = await openRunFile(db, blobs.store, runPk, param(request, '*'));
    // redirect=1: large files bypass the server, from a presigned URL where the storage has them (S3).
    const blob = !isDocument(param(request, '*')); // documents are rows
    const direct =
      blob && stringQuery(request, 'redirect') === '1' ? await blobs.store.presignedGet(file.sha256) : undefined;
    if (direct) return reply.redirect(direct, 302);
    return sendFileRange(request, reply, file);
  });
}
