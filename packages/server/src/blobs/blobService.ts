import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Database } from '../db/database.js';
import { ServerError } from '../http/serverError.js';
import { type BlobStore, PART_SIZE, partSizeFor, type StoredPart, type UploadRecord } from './blobStore.js';
import { HashingReader } from './hashingReader.js';

/** Largest blob sent through the server in one PUT; larger ones use an upload. */
export const MAX_DIRECT_BLOB = PART_SIZE;
/**
 * Blobs up to this size are hashed in memory and written once, straight to their address, on stores that can
 * (S3): no staging object, no server-side copy. 8 MiB x a few concurrent PUTs keeps the server's memory small.
 */
export const IN_MEMORY_BLOB = 8 * 1024 * 1024;

export interface UploadPlan {
  uploadId: string;
  sha256: string;
  size: number;
  partSize: number;
  parts: {
    number: number;
    size: number;
    url: string;
    method: 'PUT';
    headers: Record<string, string>;
    done: boolean;
    etag?: string;
  }[];
}

interface UploadRow {
  id: string;
  sha256: string;
  size: string;
  part_size: string;
  storage_upload_id: string | null;
  staging_key: string;
}

function toRecord(row: UploadRow): UploadRecord {
  const size = Number(row.size);
  const partSize = Number(row.part_size);
  return {
    id: row.id,
    sha256: row.sha256,
    size,
    partSize,
    partCount: Math.max(1, Math.ceil(size / partSize)),
    stagingKey: row.staging_key,
    storageUploadId: row.storage_upload_id,
  };
}

/**
 * Blobs: which ones the server has (the `blobs` table), small ones through the server, large ones by resumable
 * upload straight to storage. A blob is recorded only after its bytes hashed to its name.
 */
export class BlobService {
  constructor(
    private readonly db: Database,
    readonly store: BlobStore,
    /** Part size of uploads (default 64 MiB; S3 needs at least 5 MiB). Blobs up to one part are one PUT. */
    private readonly partSize = PART_SIZE,
  ) {}

  async missing(digests: string[]): Promise<string[]> {
    const { rows } = await this.db.query<{ sha256: string }>(
      'SELECT sha256 FROM blobs WHERE sha256 = ANY($1::text[])',
      [digests],
    );
    const have = new Set(rows.map((r) => r.sha256));
    return [...new Set(digests)].filter((d) => !have.has(d));
  }

  async size(sha256: string): Promise<number | undefined> {
    const { rows } = await this.db.query<{ size: string }>('SELECT size FROM blobs WHERE sha256 = $1', [sha256]);
    return rows[0] ? Number(rows[0].size) : undefined;
  }

  /** Receives a whole blob through the server. */
  async put(
    sha256: string,
    body: Readable,
    size: number | undefined,
  ): Promise<{ sha256: string; size: number; created: boolean }> {
    const known = await this.size(sha256);
    if (known !== undefined) {
      body.resume();
      return { sha256, size: known, created: false };
    }
    if (this.store.putVerified && size !== undefined && size <= IN_MEMORY_BLOB) {
      return this.putInMemory(sha256, body, size, this.store.putVerified.bind(this.store));
    }
    const staged = await this.store.stage(body, size, MAX_DIRECT_BLOB);
    return this.adopt(staged.key, sha256, staged);
  }

  /** A small blob: read and hashed here, then written once at its address only if it hashed to its name. */
  private async putInMemory(
    sha256: string,
    body: Readable,
    size: number,
    write: (sha256: string, bytes: Buffer) => Promise<void>,
  ): Promise<{ sha256: string; size: number; created: boolean }> {
    const hasher = new HashingReader(IN_MEMORY_BLOB, size);
    const chunks: Buffer[] = [];
    hasher.on('data', (chunk: Buffer) => chunks.push(chunk));
    await pipeline(body, hasher);
    const actual = hasher.digest();
    if (actual !== sha256) {
      throw new ServerError(422, 'DIGEST_MISMATCH', `the bytes hash to ${actual}, not ${sha256}: nothing stored`);
    }
    await write(sha256, Buffer.concat(chunks));
    const { rowCount } = await this.db.query(
      'INSERT INTO blobs (sha256, size) VALUES ($1, $2) ON CONFLICT DO NOTHING',
      [sha256, size],
    );
    return { sha256, size, created: (rowCount ?? 0) > 0 };
  }

  /** Checks a staged object against its digest, moves it to its address and records it. */
  private async adopt(stagingKey: string, sha256: string, actual: { sha256: string; size: number }) {
    if (actual.sha256 !== sha256) {
      await this.store.discard(stagingKey).catch(() => {});
      throw new ServerError(
        422,
        'DIGEST_MISMATCH',
        `the bytes hash to ${actual.sha256}, not ${sha256}: nothing stored`,
      );
    }
    await this.store.promote(stagingKey, sha256);
    const { rowCount } = await this.db.query(
      'INSERT INTO blobs (sha256, size) VALUES ($1, $2) ON CONFLICT DO NOTHING',
      [sha256, actual.size],
    );
    return { sha256, size: actual.size, created: (rowCount ?? 0) > 0 };
  }

  /** The plan of an upload of this blob: the same upload (with its stored parts marked done) when asked again. */
  async startUpload(
    sha256: string,
    size: number,
  ): Promise<UploadPlan | { sha256: string; size: number; exists: true }> {
    const known = await this.size(sha256);
    if (known !== undefined) return { sha256, size: known, exists: true };
    let row = await this.findUpload(sha256, size);
    if (!row) {
      const partSize = partSizeFor(size, this.partSize);
      const stagingKey = randomBytes(12).toString('hex');
      const storageUploadId = await this.store.createUpload(stagingKey, Math.max(1, Math.ceil(size / partSize)));
      const id = randomBytes(12).toString('hex');
      const { rowCount } = await this.db.query(
        `INSERT INTO blob_uploads (id, sha256, size, part_size, storage_upload_id, staging_key)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (sha256, size) DO NOTHING`,
        [id, sha256, size, partSize, storageUploadId, stagingKey],
      );
      const record = { id, sha256, size, partSize, partCount: 0, stagingKey, storageUploadId };
      // Another replica started the same upload at the same moment: use theirs, drop ours.
      if ((rowCount ?? 0) === 0) await this.store.abortUpload(record);
      row = await this.findUpload(sha256, size);
      if (!row) throw new ServerError(503, 'UNAVAILABLE', 'the upload could not be recorded: retry');
    }
    return this.plan(toRecord(row));
  }

  private async plan(upload: UploadRecord): Promise<UploadPlan> {
    const stored = await this.storedParts(upload.id);
    const parts: UploadPlan['parts'] = [];
    for (let number = 1; number <= upload.partCount; number++) {
      const size = Math.min(upload.partSize, upload.size - (number - 1) * upload.partSize);
      const have = stored.get(number);
      const done = have !== undefined && have.size === size;
      const target = await this.store.partTarget(upload, number);
      parts.push({ number, size, method: 'PUT', ...target, done, ...(done ? { etag: have.etag } : {}) });
    }
    return { uploadId: upload.id, sha256: upload.sha256, size: upload.size, partSize: upload.partSize, parts };
  }

  private async findUpload(sha256: string, size: number): Promise<UploadRow | undefined> {
    const { rows } = await this.db.query<UploadRow>('SELECT * FROM blob_uploads WHERE sha256 = $1 AND size = $2', [
      sha256,
      size,
    ]);
    return rows[0];
  }

  async upload(id: string): Promise<UploadRecord> {
    const { rows } = await this.db.query<UploadRow>('SELECT * FROM blob_uploads WHERE id = $1', [id]);
    if (!rows[0]) throw new ServerError(404, 'UPLOAD_NOT_FOUND', `upload ${id} not found (completed, or removed)`);
    return toRecord(rows[0]);
  }

  /** The parts stored so far (reported by the client, or received by the server), by number. */
  private async storedParts(id: string): Promise<Map<number, StoredPart>> {
    const { rows } = await this.db.query<{ number: number; etag: string; size: string }>(
      'SELECT number, etag, size FROM blob_upload_parts WHERE upload_id = $1',
      [id],
    );
    return new Map(rows.map((r) => [r.number, { etag: r.etag, size: Number(r.size) }]));
  }

  private partSizeOf(upload: UploadRecord, number: unknown): number {
    if (!Number.isInteger(number) || (number as number) < 1 || (number as number) > upload.partCount) {
      throw new ServerError(400, 'INVALID_ARGUMENT', `upload ${upload.id} has parts 1-${upload.partCount}`);
    }
    return Math.min(upload.partSize, upload.size - ((number as number) - 1) * upload.partSize);
  }

  private async savePart(id: string, number: number, part: StoredPart): Promise<void> {
    await this.db.query(
      `INSERT INTO blob_upload_parts (upload_id, number, etag, size) VALUES ($1, $2, $3, $4)
       ON CONFLICT (upload_id, number) DO UPDATE SET etag = excluded.etag, size = excluded.size`,
      [id, number, part.etag, part.size],
    );
  }

  /** A part through the server (folder storage). */
  async writePart(id: string, number: number, body: Readable, size: number | undefined): Promise<{ etag: string }> {
    const upload = await this.upload(id);
    const expected = this.partSizeOf(upload, number);
    if (size !== undefined && size !== expected) {
      throw new ServerError(400, 'BODY_MALFORMED', `part ${number} has ${expected} bytes, not ${size}`);
    }
    const part = await this.store.writePart(upload, number, body, expected);
    await this.savePart(id, number, part);
    return { etag: part.etag };
  }

  /** A part the client PUT to its presigned URL: recorded so that a resumed upload skips it. */
  async reportPart(id: string, number: number, etag: unknown): Promise<{ number: number; etag: string }> {
    const upload = await this.upload(id);
    const size = this.partSizeOf(upload, number);
    if (typeof etag !== 'string' || etag.length === 0 || etag.length > 200) {
      throw new ServerError(400, 'BODY_MALFORMED', '"etag" must be the ETag header storage answered the part with');
    }
    await this.savePart(id, number, { etag, size });
    return { number, etag };
  }

  async complete(
    id: string,
    parts: { number: number; etag: string }[],
  ): Promise<{ sha256: string; size: number; created: boolean }> {
    const upload = await this.upload(id);
    const stored = await this.storedParts(id);
    const chosen: { number: number; etag: string }[] = [];
    for (let number = 1; number <= upload.partCount; number++) {
      const etag = parts.find((p) => p.number === number)?.etag || stored.get(number)?.etag;
      if (!etag) {
        throw new ServerError(409, 'UPLOAD_INCOMPLETE', `part ${number} of upload ${id} was not received`, {
          part: number,
        });
      }
      chosen.push({ number, etag });
    }
    try {
      await this.store.assemble(upload, chosen);
    } catch (error) {
      // Storage refused the parts (a wrong ETag, a part lost): forget them so the client sends them again.
      await this.db.query('DELETE FROM blob_upload_parts WHERE upload_id = $1', [id]);
      throw new ServerError(409, 'UPLOAD_INCOMPLETE', `storage could not assemble upload ${id}: send its parts again`, {
        cause: (error as Error).name,
      });
    }
    const actual = await this.store.hashStaged(upload.stagingKey);
    await this.db.query('DELETE FROM blob_uploads WHERE id = $1', [id]);
    if (actual.size !== upload.size) {
      await this.store.discard(upload.stagingKey).catch(() => {});
      throw new ServerError(
        422,
        'DIGEST_MISMATCH',
        `the upload has ${actual.size} bytes, not ${upload.size}: nothing stored`,
      );
    }
    return this.adopt(upload.stagingKey, upload.sha256, actual);
  }
}
