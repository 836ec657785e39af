import { createHash } from 'node:crypto';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ServerError } from '../http/serverError.js';

/**
 * A pass-through stream that hashes (sha256) and counts what flows through it, and fails with BODY_TOO_LARGE
 * past `maxBytes`, or BODY_MALFORMED when `expectedSize` is known and the bytes end short of or beyond it.
 */
export class HashingReader extends Transform {
  private readonly hash = createHash('sha256');
  size = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly expectedSize?: number,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      done(new ServerError(413, 'BODY_TOO_LARGE', `the body is larger than ${this.maxBytes} bytes`));
      return;
    }
    if (this.expectedSize !== undefined && this.size > this.expectedSize) {
      done(new ServerError(400, 'BODY_MALFORMED', `the body is longer than its declared ${this.expectedSize} bytes`));
      return;
    }
    this.hash.update(chunk);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.expectedSize !== undefined && this.size !== this.expectedSize) {
      done(
        new ServerError(
          400,
          'BODY_MALFORMED',
          `the body has ${this.size} bytes, not the declared ${this.expectedSize}`,
        ),
      );
      return;
    }
    done();
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

/** The sha256 and length of everything a stream yields. */
export async function hashStream(body: Readable): Promise<{ sha256: string; size: number }> {
  const hasher = new HashingReader(Number.MAX_SAFE_INTEGER);
  hasher.resume();
  await pipeline(body, hasher);
  return { sha256: hasher.digest(), size: hasher.size };
}
