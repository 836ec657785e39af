import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate } from 'node:zlib';
import type { FastifyRequest } from 'fastify';
import { ServerError } from './serverError.js';

/** Limits of a batch or JSON body: as sent, and once decompressed (docs/PROTOCOL.md). */
export const MAX_SENT_BYTES = 16 * 1024 * 1024;
export const MAX_DECODED_BYTES = 64 * 1024 * 1024;

const DECODERS = { gzip: promisify(gunzip), deflate: promisify(inflate), br: promisify(brotliDecompress) } as const;

/** The request's body stream (the server's one content-type parser hands every body over unread). */
export function bodyStream(request: FastifyRequest): Readable {
  return request.body as Readable;
}

/** The declared Content-Length, when there is one. */
export function contentLength(request: FastifyRequest): number | undefined {
  const header = request.headers['content-length'];
  if (header === undefined) return undefined;
  const length = Number(header);
  if (!Number.isSafeInteger(length) || length < 0) throw new ServerError(400, 'BODY_MALFORMED', 'bad Content-Length');
  return length;
}

async function readLimited(stream: Readable | undefined, limit: number): Promise<Buffer> {
  if (!stream) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      stream.destroy();
      throw new ServerError(413, 'BODY_TOO_LARGE', `the body is larger than ${limit} bytes as sent`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The whole body, decompressed per Content-Encoding, within the limits (413 past them, 400 if it is corrupt). */
export async function readBody(
  request: FastifyRequest,
  maxSent = MAX_SENT_BYTES,
  maxDecoded = MAX_DECODED_BYTES,
): Promise<Buffer> {
  const declared = contentLength(request);
  if (declared !== undefined && declared > maxSent) {
    throw new ServerError(413, 'BODY_TOO_LARGE', `the body is larger than ${maxSent} bytes as sent`);
  }
  const raw = await readLimited(request.body as Readable | undefined, maxSent);
  const encoding = String(request.headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  if (encoding === 'identity' || encoding === '') return raw;
  const decode = DECODERS[encoding as keyof typeof DECODERS];
  if (!decode)
    throw new ServerError(
      415,
      'UNSUPPORTED_ENCODING',
      `Content-Encoding ${encoding} is not supported (gzip, deflate, br)`,
    );
  try {
    return await decode(raw, { maxOutputLength: maxDecoded });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
      throw new ServerError(413, 'BODY_TOO_LARGE', `the body is larger than ${maxDecoded} bytes decompressed`);
    }
    throw new ServerError(400, 'BODY_MALFORMED', `the body is not valid ${encoding}`);
  }
}

/** A JSON object body. */
export async function readJsonObject(
  request: FastifyRequest,
  maxSent = MAX_SENT_BYTES,
): Promise<Record<string, unknown>> {
  const bytes = await readBody(request, maxSent);
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ServerError(400, 'BODY_MALFORMED', 'the body is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ServerError(400, 'BODY_MALFORMED', 'the body must be a JSON object');
  }
  return value as Record<string, unknown>;
}
