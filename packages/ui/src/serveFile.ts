import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { rangeHeaders, requestedRange } from './byteRange.js';
import { contentType } from './contentType.js';
import { HttpError } from './httpError.js';

/** Streams a file of the dashboard app itself (its built assets), answering byte ranges. */
export async function serveFile(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  cacheControl = 'no-cache',
): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) throw new HttpError(404, 'no such file');
  const range = requestedRange(req, res, info.size);
  if (!range) return;
  res.writeHead(range.status, {
    'content-type': contentType(path),
    'cache-control': cacheControl,
    'x-content-type-options': 'nosniff',
    ...rangeHeaders(range, info.size),
  });
  if (req.method === 'HEAD' || info.size === 0) {
    res.end();
    return;
  }
  await new Promise<void>((done, fail) => {
    const stream = createReadStream(path, { start: range.start, end: range.end });
    stream.on('error', fail);
    res.on('close', () => {
      stream.destroy();
      done();
    });
    stream.pipe(res).on('finish', done);
  });
}
