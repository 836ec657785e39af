import { type SyncAnswer, type SyncRequest, SyncTransport, type SyncTransportOptions } from '../sync/syncTransport.js';

/** The header a leased writer names itself with on its writes (docs/PROTOCOL.md, "Leases"). */
export const WRITER_HEADER = 'x-runlog-writer';

/**
 * The protocol's transport, naming the run's writer on every request to the server (not on presigned storage
 * URLs): the server refuses a write from a writer that does not hold the run's live lease.
 */
export class WriterTransport extends SyncTransport {
  constructor(
    options: SyncTransportOptions,
    readonly writer: string,
  ) {
    super(options);
  }

  override send(request: SyncRequest): Promise<SyncAnswer> {
    if (/^https?:\/\//i.test(request.url)) return super.send(request);
    return super.send({ ...request, headers: { ...request.headers, [WRITER_HEADER]: this.writer } });
  }
}

/** The status and code of a refused answer, read back from the error `refused()` made (`answered 401 CODE`). */
export function refusedStatus(error: unknown): { status: number; code: string } | undefined {
  const match = /answered (\d{3}) ?([A-Z_]*)/.exec((error as Error)?.message ?? '');
  return match ? { status: Number(match[1]), code: match[2] } : undefined;
}
