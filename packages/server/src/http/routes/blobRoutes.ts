import type { FastifyInstance } from 'fastify';
import { requireRole } from '../../auth/roles.js';
import { MAX_DIRECT_BLOB } from '../../blobs/blobService.js';
import { safeDigest } from '../names.js';
import { param } from '../params.js';
import { bodyStream, contentLength, readJsonObject } from '../requestBody.js';
import type { ServerContext } from '../serverContext.js';
import { ServerError } from '../serverError.js';

const MAX_DIGESTS = 10_000;

/**
 * Blobs (docs/PROTOCOL.md, "Blobs"). Writing one needs the write role on some project (a token for one
 * project may upload: blobs are content-addressed, so it cannot change anyone else's). Reading a blob goes
 * through the run file or artifact that names it (read routes), so a digest alone reveals nothing.
 */
export function blobRoutes(app: FastifyInstance, { blobs }: ServerContext): void {
  const writer = (principal: Parameters<typeof requireRole>[0]) =>
    requireRole(principal, principal.project ?? null, 'write');

  app.post('/api/v1/blobs/missing', async (request) => {
    writer(request.principal);
    const { digests } = await readJsonObject(request);
    if (!Array.isArray(digests) || digests.length > MAX_DIGESTS) {
      throw new ServerError(400, 'BODY_MALFORMED', `"digests" must be a list of at most ${MAX_DIGESTS} sha256 digests`);
    }
    return { missing: await blobs.missing(digests.map(safeDigest)) };
  });

  app.put('/api/v1/blobs/:sha256', async (request) => {
    writer(request.principal);
    const sha256 = safeDigest(param(request, 'sha256'));
    if (request.headers['content-encoding']) {
      throw new ServerError(415, 'UNSUPPORTED_ENCODING', 'blobs are sent as their bytes (no Content-Encoding)');
    }
    const size = contentLength(request);
    if (size !== undefined && size > MAX_DIRECT_BLOB) {
      throw new ServerError(413, 'BODY_TOO_LARGE', `blobs over ${MAX_DIRECT_BLOB} bytes go through an upload`);
    }
    return blobs.put(sha256, bodyStream(request), size);
  });

  app.post('/api/v1/blobs/:sha256/uploads', async (request) => {
    writer(request.principal);
    const sha256 = safeDigest(param(request, 'sha256'));
    const { size } = await readJsonObject(request);
    if (!Number.isSafeInteger(size) || (size as number) < 0) {
      throw new ServerError(400, 'BODY_MALFORMED', '"size" must be the blob\'s size in bytes');
    }
    return blobs.startUpload(sha256, size as number);
  });

  app.put('/api/v1/uploads/:id/parts/:number', async (request) => {
    writer(request.principal);
    const id = param(request, 'id');
    if (!/^[0-9a-f]{24}$/.test(id)) throw new ServerError(404, 'UPLOAD_NOT_FOUND', 'no such upload');
    const number = Number(param(request, 'number'));
    const etag = await blobs.writePart(id, number, bodyStream(request), contentLength(request));
    return { number, ...etag };
  });

  app.post('/api/v1/uploads/:id/parts/:number/done', async (request) => {
    writer(request.principal);
    const id = param(request, 'id');
    if (!/^[0-9a-f]{24}$/.test(id)) throw new ServerError(404, 'UPLOAD_NOT_FOUND', 'no such upload');
    const { etag } = await readJsonObject(request);
    return blobs.reportPart(id, Number(param(request, 'number')), etag);
  });

  app.post('/api/v1/uploads/:id/complete', async (request) => {
    writer(request.principal);
    const id = param(request, 'id');
    if (!/^[0-9a-f]{24}$/.test(id)) throw new ServerError(404, 'UPLOAD_NOT_FOUND', 'no such upload');
    const { parts } = await readJsonObject(request);
    const list = Array.isArray(parts) ? parts : [];
    return blobs.complete(
      id,
      list.map((p) => ({
        number: Number((p as { number?: unknown }).number),
        etag: String((p as { etag?: unknown }).etag ?? ''),
      })),
    );
  });

  // Present for symmetry with S3's presigned GET: a blob by digest for an admin (debugging, backups).
  app.get('/api/v1/blobs/:sha256', async (request, reply) => {
    requireRole(request.principal, null, 'admin');
    const sha256 = safeDigest(param(request, 'sha256'));
    const size = await blobs.size(sha256);
    if (size === undefined) throw new ServerError(404, 'NOT_FOUND', `blob ${sha256} not found`);
    reply.header('content-type', 'application/octet-stream').header('content-length', String(size));
    return reply.send(await blobs.store.read(sha256));
  });
}
