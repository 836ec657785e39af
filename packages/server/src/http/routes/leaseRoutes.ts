import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireRole } from '../../auth/roles.js';
import {
  DEFAULT_LEASE_TTL_MS,
  leased,
  liveHolder,
  MAX_LEASE_TTL_MS,
  MIN_LEASE_TTL_MS,
  releaseLease,
  takeLease,
} from '../../ingest/runLeases.js';
import { runParams } from '../params.js';
import { readJsonObject } from '../requestBody.js';
import type { ServerContext } from '../serverContext.js';
import { ServerError } from '../serverError.js';

const RUN = '/api/v1/projects/:project/runs/:run';
/** The header a leased writer sends with its writes: a write from another writer while the lease lives is refused. */
export const WRITER_HEADER = 'x-runlog-writer';
const WRITER = /^[\x21-\x7e][\x20-\x7e]{0,199}$/;
/** The run-write routes a writer's header is checked on. */
const WRITES = new Set([`POST ${RUN}/streams/:stream`, `PUT ${RUN}/documents/:name`, `PUT ${RUN}/files`]);

function writerOf(value: unknown): string {
  if (typeof value !== 'string' || !WRITER.test(value)) {
    throw new ServerError(400, 'INVALID_ARGUMENT', 'writer must be 1-200 printable ASCII characters');
  }
  return value;
}

/**
 * Run leases (docs/PROTOCOL.md, "Leases"): `POST .../lease {writer, ttlMs, replaces?}` takes or renews the run's
 * lease (`replaces`: over from that writer, which the client found dead), `DELETE .../lease {writer}` ends it; a
 * write that names its writer (the `x-runlog-writer` header) while another writer's lease lives is refused with
 * 409 RUN_LEASED. Writes without the header (`runlog sync`) are not checked.
 */
export function leaseRoutes(app: FastifyInstance, { db }: ServerContext): void {
  app.post(`${RUN}/lease`, async (request) => {
    const { project, runId } = runParams(request);
    requireRole(request.principal, project, 'write');
    const body = await readJsonObject(request);
    const ttl = body.ttlMs ?? DEFAULT_LEASE_TTL_MS;
    if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < MIN_LEASE_TTL_MS || ttl > MAX_LEASE_TTL_MS) {
      throw new ServerError(
        400,
        'INVALID_ARGUMENT',
        `ttlMs must be a whole number from ${MIN_LEASE_TTL_MS} to ${MAX_LEASE_TTL_MS}`,
      );
    }
    const replaces = body.replaces === undefined || body.replaces === null ? undefined : writerOf(body.replaces);
    return takeLease(db, project, runId, writerOf(body.writer), ttl, replaces);
  });

  app.delete(`${RUN}/lease`, async (request) => {
    const { project, runId } = runParams(request);
    requireRole(request.principal, project, 'write');
    const body = await readJsonObject(request);
    return { released: await releaseLease(db, project, runId, writerOf(body.writer)) };
  });

  app.addHook('preHandler', async (request: FastifyRequest) => {
    const writer = request.headers[WRITER_HEADER];
    if (writer === undefined || !WRITES.has(`${request.method} ${request.routeOptions.url}`)) return;
    const { project, runId } = runParams(request);
    const holder = await liveHolder(db, project, runId);
    if (holder && holder.writer !== writerOf(writer)) throw leased(project, runId, holder);
  });
}
