import type { IncomingMessage, ServerResponse } from 'node:http';

/** The part of a file a request asks for: all of it (200) or one byte range (206). */
export interface ByteRange {
  start: number;
  /** Inclusive. */
  end: number;
  status: 200 | 206;
}

/**
 * The range a request's `Range: bytes=a-b` header asks for in a file of `size` bytes (video and audio seeking
 * need them); undefined after answering 416 when it lies outside the file.
 */
export function requestedRange(req: IncomingMessage, res: ServerResponse, size: number): ByteRange | undefined {
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
  if (!range || (!range[1] && !range[2])) return { start: 0, end: size - 1, status: 200 };
  let start: number;
  let end = size - 1;
  if (range[1]) {
    start = Number(range[1]);
    if (range[2]) end = Math.min(end, Number(range[2]));
  } else start = Math.max(0, size - Number(range[2]));
  if (start > end || start >= size) {
    res.writeHead(416, { 'content-range': `bytes */${size}` });
    res.end();
    return undefined;
  }
  return { start, end, status: 206 };
}

/** The headers of an answer holding `range` of a file of `size` bytes. */
export function rangeHeaders(range: ByteRange, size: number): Record<string, string | number> {
  return {
    'accept-ranges': 'bytes',
    'content-length': size === 0 ? 0 : range.end - range.start + 1,
    ...(range.status === 206 ? { 'content-range': `bytes ${range.start}-${range.end}/${size}` } : {}),
  };
}
