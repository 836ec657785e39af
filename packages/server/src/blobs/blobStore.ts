import type { Readable } from 'node:stream';

/** What `stage` wrote: a staging object and the digest of its bytes, computed while they streamed by. */
export interface Staged {
  key: string;
  size: number;
  sha256: string;
}

/** An upload in progress (a row of blob_uploads): its parts land on storage, then are assembled at `stagingKey`. */
export interface UploadRecord {
  id: string;
  sha256: string;
  size: number;
  partSize: number;
  partCount: number;
  stagingKey: string;
  storageUploadId: string | null;
}

/** Where a client sends one part: an absolute presigned URL, or a path on this server (relative URL). */
export interface PartTarget {
  url: string;
  headers: Record<string, string>;
}

export interface StoredPart {
  etag: string;
  size: number;
}

/**
 * Content-addressed blob storage: a folder (the embedded default) or an S3-compatible bucket. Bytes always
 * arrive at a staging key first and reach their address `sha256/<2 hex>/<62 hex>` only after the server checked
 * their digest, so a blob's address is a promise about its bytes. The database's `blobs` table says which blobs
 * exist; this interface only moves bytes.
 */
export interface BlobStore {
  readonly kind: 'folder' | 's3';
  /** Streams `body` to a new staging object (at most `maxBytes`), hashing it on the way. */
  stage(body: Readable, size: number | undefined, maxBytes: number): Promise<Staged>;
  /**
   * Writes bytes already checked against their digest straight to their content address (no staging object, no
   * copy). Optional: stores without it stage and promote.
   */
  putVerified?(sha256: string, bytes: Buffer): Promise<void>;
  /** Moves a checked staging object to its content address (keeps the existing one if it is already there). */
  promote(stagingKey: string, sha256: string): Promise<void>;
  discard(stagingKey: string): Promise<void>;
  /** The digest and size of a staging object's bytes (read back from storage). */
  hashStaged(stagingKey: string): Promise<{ sha256: string; size: number }>;
  exists(sha256: string): Promise<boolean>;
  /** The blob's bytes, or those in [start, end] (inclusive, as HTTP ranges). */
  read(sha256: string, range?: { start: number; end: number }): Promise<Readable>;
  /** A URL the client can GET the blob from directly, when the storage has one (S3), else undefined. */
  presignedGet(sha256: string): Promise<string | undefined>;
  /** Starts storage for an upload of `partCount` parts; returns the storage's own upload id, if any. */
  createUpload(stagingKey: string, partCount: number): Promise<string | null>;
  partTarget(upload: UploadRecord, number: number): Promise<PartTarget>;
  /** Receives a part through the server (folder storage; S3 parts go to presigned URLs). */
  writePart(upload: UploadRecord, number: number, body: Readable, size: number): Promise<StoredPart>;
  /** Joins the parts into the staging object. */
  assemble(upload: UploadRecord, parts: { number: number; etag: string }[]): Promise<void>;
  abortUpload(upload: UploadRecord): Promise<void>;
  close(): Promise<void>;
}

/** Parts of 64 MiB, and more for blobs that would need over 10,000 parts (S3's limit). */
export const PART_SIZE = 64 * 1024 * 1024;

export function partSizeFor(size: number, smallest = PART_SIZE): number {
  return Math.max(smallest, Math.ceil(size / 10_000 / (1024 * 1024)) * 1024 * 1024);
}

/** The address of a blob under a storage root. */
export function blobKey(sha256: string): string {
  return `sha256/${sha256.slice(0, 2)}/${sha256.slice(2)}`;
}
