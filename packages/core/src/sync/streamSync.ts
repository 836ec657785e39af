// Browser-safe: no `node:` imports.
import { RunlogError } from '../errors/runlogError.js';
import { refused, type SyncTransport } from './syncTransport.js';

/** The append-only files of a run that the protocol syncs (docs/PROTOCOL.md, "Streams"). */
export const SYNC_STREAMS = {
  history: 'history.jsonl',
  system: 'system.jsonl',
  alerts: 'alerts.jsonl',
  artifacts: 'artifacts.jsonl',
  output: 'output.log',
} as const;
export type SyncStreamName = keyof typeof SYNC_STREAMS;

/** One local stream: its size now, and its bytes by range. */
export interface StreamSource {
  name: SyncStreamName;
  size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

export interface RunRef {
  project: string;
  runId: string;
}

export interface BatchOptions {
  /** Bytes per batch before compression (default 4 MiB; the protocol takes 1-4 MiB). */
  batchBytes?: number;
  /** Compresses a batch; returns the bytes and their Content-Encoding. Default: none. */
  compress?: (bytes: Uint8Array) => Promise<{ bytes: Uint8Array; encoding: string }>;
  /** Told the bytes acknowledged so far of this stream after each batch, and the rows the server then has. */
  onProgress?: (acknowledged: number, rows?: number) => void;
}

export interface StreamReport {
  stream: SyncStreamName;
  /** The server's high-water mark before and after. */
  from: number;
  hwm: number;
  /** Bytes sent (before compression), retried batches included. */
  sentBytes: number;
  batches: number;
}

const NEWLINE = 0x0a;
const DEFAULT_BATCH = 4 << 20;
/** A single line longer than this cannot be sent in one batch (the server's decoded-body limit is 64 MiB). */
const MAX_LINE = 48 << 20;

/**
 * Sends a stream from `from` (the server's high-water mark) to the end of the local file, in batches of whole
 * lines: each answer's `hwm` is where the next batch starts, and `409 OFFSET_GAP` restarts from `expected`, so a
 * retried or replayed batch is never stored twice. With `final` (the run's files are complete) a torn last line
 * is sent too; without it a line still being written waits for the next sync.
 */
export async function syncStream(
  transport: SyncTransport,
  run: RunRef,
  source: StreamSource,
  from: number,
  final: boolean,
  options: BatchOptions = {},
): Promise<StreamReport> {
  const lined = source.name !== 'output';
  const report: StreamReport = { stream: source.name, from, hwm: from, sentBytes: 0, batches: 0 };
  let offset = from;
  let want = options.batchBytes ?? DEFAULT_BATCH;
  while (offset < source.size) {
    const length = Math.min(want, source.size - offset);
    const chunk = await source.read(offset, length);
    const atEnd = offset + chunk.length >= source.size;
    let cut = chunk.length;
    if (lined && !(atEnd && final)) {
      cut = chunk.lastIndexOf(NEWLINE) + 1;
      if (cut === 0) {
        if (atEnd) break; // a line still being written: the next sync sends it
        if (want >= MAX_LINE)
          throw new RunlogError('SYNC_REFUSED', `${source.name}: a line at byte ${offset} is over ${MAX_LINE} bytes`);
        want *= 2; // one line longer than a batch: read more
        continue;
      }
    }
    if (cut === 0) break;
    const body = chunk.subarray(0, cut);
    const isLast = final && offset + cut >= source.size;
    const encoded = options.compress ? await options.compress(body) : { bytes: body, encoding: 'identity' };
    const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
    if (encoded.encoding !== 'identity') headers['content-encoding'] = encoded.encoding;
    const url = `/api/v1/projects/${run.project}/runs/${run.runId}/streams/${source.name}?offset=${offset}${isLast ? '&final=1' : ''}`;
    const answer = await transport.send({ method: 'POST', url, body: encoded.bytes, headers });
    report.sentBytes += cut;
    report.batches++;
    if (answer.status === 200) {
      offset = Number(answer.body.hwm);
      want = options.batchBytes ?? DEFAULT_BATCH;
    } else if (answer.status === 409 && errorCode(answer.body) === 'OFFSET_GAP') {
      offset = Number((answer.body.error as { expected: number }).expected);
    } else {
      throw refused(`${run.project}/${run.runId} ${source.name} at byte ${offset}`, answer);
    }
    if (!Number.isSafeInteger(offset) || offset < 0) {
      throw new RunlogError('SYNC_REFUSED', `${source.name}: the server answered an impossible offset`);
    }
    report.hwm = offset;
    options.onProgress?.(offset, answer.status === 200 ? Number(answer.body.rows) : undefined);
  }
  report.hwm = offset;
  return report;
}

export function errorCode(body: Record<string, unknown>): string | undefined {
  return (body.error as { code?: string } | undefined)?.code;
}
