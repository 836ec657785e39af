// Browser-safe: no `node:` imports.
import { RunlogError } from '../errors/runlogError.js';
import { errorCode } from './streamSync.js';
import { refused, type SyncAnswer, type SyncTransport } from './syncTransport.js';

/** A blob the client has: its digest, size and bytes by range ([start, end) exclusive). */
export interface BlobSource {
  sha256: string;
  size: number;
  read(start: number, end: number): Promise<Uint8Array>;
}

export interface BlobReport {
  /** Blobs the server lacked and now has. */
  uploaded: number;
  /** Bytes sent (retried parts included). */
  sentBytes: number;
  /** Blobs the server already had (the cross-machine dedupe). */
  present: number;
}

export interface BlobOptions {
  /** Blobs sent at once (default 4). */
  concurrency?: number;
  /** Blobs up to this size are one PUT through the server (default 64 MiB, the protocol's limit). */
  directLimit?: number;
  onProgress?: (sentBytes: number) => void;
}

const MISSING_CHUNK = 10_000;
const DIRECT_LIMIT = 64 * 1024 * 1024;

/**
 * Makes sure the server has these blobs: asks which are missing (`POST /blobs/missing`), then sends only those,
 * small ones in one PUT, large ones by resumable upload (presigned part URLs straight to S3 storage, parts the
 * server already recorded are skipped).
 */
export async function syncBlobs(
  transport: SyncTransport,
  blobs: BlobSource[],
  options: BlobOptions = {},
): Promise<BlobReport> {
  const report: BlobReport = { uploaded: 0, sentBytes: 0, present: 0 };
  const unique = [...new Map(blobs.map((b) => [b.sha256, b])).values()];
  const missing = new Set<string>();
  for (let i = 0; i < unique.length; i += MISSING_CHUNK) {
    const digests = unique.slice(i, i + MISSING_CHUNK).map((b) => b.sha256);
    const answer = await transport.json('POST', '/api/v1/blobs/missing', { digests });
    if (answer.status !== 200) throw refused('asking which blobs the server has', answer);
    for (const d of answer.body.missing as string[]) missing.add(d);
  }
  report.present = unique.length - missing.size;
  const queue = unique.filter((b) => missing.has(b.sha256));
  const sent = (bytes: number) => {
    report.sentBytes += bytes;
    options.onProgress?.(report.sentBytes);
  };
  const worker = async () => {
    for (let blob = queue.shift(); blob; blob = queue.shift()) {
      if (blob.size <= (options.directLimit ?? DIRECT_LIMIT)) await putBlob(transport, blob, sent);
      else await uploadBlob(transport, blob, sent);
      report.uploaded++;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  return report;
}

async function putBlob(transport: SyncTransport, blob: BlobSource, sent: (bytes: number) => void): Promise<void> {
  const body = await blob.read(0, blob.size);
  const answer = await transport.send({
    method: 'PUT',
    url: `/api/v1/blobs/${blob.sha256}`,
    body,
    headers: { 'content-type': 'application/octet-stream' },
  });
  sent(body.length);
  if (answer.status !== 200) throw refused(`blob ${blob.sha256}`, answer);
}

interface PlanPart {
  number: number;
  size: number;
  url: string;
  headers: Record<string, string>;
  done: boolean;
  etag?: string;
}

/**
 * A resumable upload: the plan lists every part with where to PUT it and whether the server already recorded
 * it; a part PUT straight to storage is reported (`/done`) so that a client that dies resumes after it.
 */
async function uploadBlob(transport: SyncTransport, blob: BlobSource, sent: (bytes: number) => void): Promise<void> {
  for (let round = 0; round < 3; round++) {
    const start = await transport.json('POST', `/api/v1/blobs/${blob.sha256}/uploads`, { size: blob.size });
    if (start.status !== 200) throw refused(`upload of blob ${blob.sha256}`, start);
    if (start.body.exists === true) return;
    const uploadId = String(start.body.uploadId);
    const partSize = Number(start.body.partSize);
    const parts = start.body.parts as PlanPart[];
    const etags: { number: number; etag: string }[] = [];
    for (const part of parts) {
      if (part.done && part.etag) {
        etags.push({ number: part.number, etag: part.etag });
        continue;
      }
      const from = (part.number - 1) * partSize;
      const bytes = await blob.read(from, from + part.size);
      const direct = /^https?:\/\//i.test(part.url);
      const answer = await transport.send({ method: 'PUT', url: part.url, body: bytes, headers: part.headers });
      sent(bytes.length);
      if (answer.status !== 200) throw refused(`part ${part.number} of blob ${blob.sha256}`, answer);
      const etag = direct ? (answer.headers.get('etag') ?? '') : String(answer.body.etag ?? '');
      if (direct) {
        const done = await transport.json('POST', `/api/v1/uploads/${uploadId}/parts/${part.number}/done`, { etag });
        if (done.status !== 200) throw refused(`recording part ${part.number} of blob ${blob.sha256}`, done);
      }
      etags.push({ number: part.number, etag });
    }
    const complete = await transport.json('POST', `/api/v1/uploads/${uploadId}/complete`, { parts: etags });
    if (complete.status === 200) return;
    // Storage lost parts or the upload expired: ask for a new plan and send what it lacks.
    if (!retryable(complete)) throw refused(`completing blob ${blob.sha256}`, complete);
  }
  throw new RunlogError('SYNC_REFUSED', `blob ${blob.sha256}: the upload did not complete after 3 rounds`);
}

function retryable(answer: SyncAnswer): boolean {
  const code = errorCode(answer.body);
  return code === 'UPLOAD_INCOMPLETE' || code === 'UPLOAD_NOT_FOUND';
}
