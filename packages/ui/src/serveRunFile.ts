import type { IncomingMessage, ServerResponse } from 'node:http';
import { RunlogError, type RunRef, type StoreAccess } from '@runlog/core';
import { rangeHeaders, requestedRange } from './byteRange.js';
import { contentType } from './contentType.js';
import { HttpError } from './httpError.js';

/** Bytes asked of the store per read while streaming a file. */
const CHUNK_BYTES = 1 << 20;

/**
 * Streams a file of a run (media, saved files) read through the store-access seam, answering byte ranges. A name
 * the store refuses (outside the run, through a link that leaves it) is 403; a missing file 404.
 */
export async function serveRunFile(
  req: IncomingMessage,
  res: ServerResponse,
  access: StoreAccess,
  run: RunRef,
  name: string,
  extraHeaders: Record<string, string> = {},
): Promise<void> {
  const first = await access.readFile(run, name, { length: 0 }).catch((error: unknown) => {
    if (error instanceof RunlogError && error.code === 'INVALID_ARGUMENT') {
      throw new HttpError(403, `refused: ${JSON.stringify(name)} is not a file of run ${run.project}/${run.id}`);
    }
    if (error instanceof RunlogError && error.code === 'RUN_NOT_FOUND') throw new HttpError(404, 'no such file');
    throw error;
  });
  const range = requestedRange(req, res, first.size);
  if (!range) return;
  res.writeHead(range.status, {
    'content-type': contentType(name),
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    ...extraHeaders,
    ...rangeHeaders(range, first.size),
  });
  if (req.method === 'HEAD' || first.size === 0) {
    res.end();
    return;
  }
  let closed = false;
  res.on('close', () => {
    closed = true;
  });
  for (let offset = range.start; offset <= range.end && !closed; ) {
    const length = Math.min(CHUNK_BYTES, range.end + 1 - offset);
    const { bytes } = await access.readFile(run, name, { offset, length });
    if (bytes.length === 0) break; // the file shrank while being sent
    if (!res.write(bytes)) await drained(res);
    offset += bytes.length;
  }
  res.end();
}

/** Resolves when the response can take more bytes (or was closed). */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((done) => {
    const finish = () => {
      res.off('drain', finish);
      res.off('close', finish);
      done();
    };
    res.on('drain', finish);
    res.on('close', finish);
  });
}
