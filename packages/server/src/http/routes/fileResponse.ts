import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { integerQuery } from '../params.js';

/** Bytes a file read answers at most per request (the seam's readFile limit). */
export const MAX_FILE_CHUNK = 8 * 1024 * 1024;

export interface ServedFile {
  size: number;
  sha256: string;
  updatedAt?: string;
  body: (range?: { start: number; end: number }) => Promise<Readable>;
}

/** The bytes `[offset, offset + length)` of a file (`?offset=&length=`), its size and place in headers. */
export async function sendFileRange(request: FastifyRequest, reply: FastifyReply, file: ServedFile) {
  const offset = Math.min(integerQuery(request, 'offset') ?? 0, file.size);
  const length = Math.min(integerQuery(request, 'length') ?? MAX_FILE_CHUNK, MAX_FILE_CHUNK, file.size - offset);
  reply
    .header('content-type', 'application/octet-stream')
    .header('content-length', String(length))
    .header('x-runlog-size', String(file.size))
    .header('x-runlog-offset', String(offset))
    .header('etag', `"${file.sha256}"`);
  if (file.updatedAt) reply.header('x-runlog-updated-at', file.updatedAt);
  if (length === 0) return reply.send(Buffer.alloc(0));
  return reply.send(await file.body({ start: offset, end: offset + length - 1 }));
}
