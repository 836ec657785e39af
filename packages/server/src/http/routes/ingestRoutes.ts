import type { FastifyInstance } from 'fastify';
import { requireRole } from '../../auth/roles.js';
import { applyDocument, isDocument } from '../../ingest/documents.js';
import { recordRunFiles } from '../../ingest/runFiles.js';
import { applyStreamBatch, isStream } from '../../ingest/streamBatch.js';
import { syncState } from '../../ingest/syncState.js';
import { integerQuery, numberQuery, param, runParams, stringQuery } from '../params.js';
import { readBody, readJsonObject } from '../requestBody.js';
import type { ServerContext } from '../serverContext.js';
import { ServerError } from '../serverError.js';

const RUN = '/api/v1/projects/:project/runs/:run';

/** The write side of docs/PROTOCOL.md: stream batches, documents, run files, and where a client resumes. */
export function ingestRoutes(app: FastifyInstance, { db, blobs }: ServerContext): void {
  app.post(`${RUN}/streams/:stream`, async (request) => {
    const { project, runId } = runParams(request);
    requireRole(request.principal, project, 'write');
    const stream = param(request, 'stream');
    if (!isStream(stream)) throw new ServerError(404, 'NOT_FOUND', `no stream ${JSON.stringify(stream.slice(0, 40))}`);
    const offset = integerQuery(request, 'offset', true);
    const final = stringQuery(request, 'final') === '1';
    const bytes = await readBody(request);
    return applyStreamBatch(db, { project, runId, stream, offset, bytes, final });
  });

  app.put(`${RUN}/documents/:name`, async (request) => {
    const { project, runId } = runParams(request);
    requireRole(request.principal, project, 'write');
    const name = param(request, 'name');
    if (!isDocument(name)) throw new ServerError(404, 'NOT_FOUND', `no document ${JSON.stringify(name.slice(0, 40))}`);
    const seq = numberQuery(request, 'seq');
    if (seq === undefined) throw new ServerError(400, 'INVALID_ARGUMENT', 'the query needs seq=<number>');
    return applyDocument(db, project, runId, name, seq, await readJsonObject(request));
  });

  app.put(`${RUN}/files`, async (request) => {
    const { project, runId } = runParams(request);
    requireRole(request.principal, project, 'write');
    const body = await readJsonObject(request);
    return recordRunFiles(db, blobs, project, runId, body.files);
  });

  app.get(`${RUN}/sync`, async (request) => {
    const { project, runId } = runParams(request);
    requireRole(request.principal, project, 'read');
    return syncState(db, project, runId);
  });
}
