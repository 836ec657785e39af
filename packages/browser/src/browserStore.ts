/// <reference lib="dom" />
import { RunlogError, type SyncStreamName } from '@runlog/core/browser';
import { openDatabase, request, STORES, transactionDone } from './indexedDb.js';
import type { AckRecord, RunRecord } from './runRecord.js';

/** Default bound of the bytes runlog keeps in the page's storage (streams and blobs), 512 MiB. */
export const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;

/** One write of a run: appended stream bytes, replaced documents, new blobs, and the run's record after them. */
export interface StoreWrite {
  record: RunRecord;
  chunks: Array<{ stream: SyncStreamName; offset: number; bytes: Uint8Array }>;
  documents: Array<{ name: string; seq: number; value: unknown }>;
  blobs: Array<{ sha256: string; bytes: Uint8Array }>;
}

export interface BrowserStoreOptions {
  /** The IndexedDB database name (default 'runlog'). */
  database?: string;
  /** Bytes of streams and blobs kept at most; a write past it is refused with QUOTA_EXCEEDED. */
  maxBytes?: number;
}

const USAGE_KEY = 'usage';

/**
 * The local store of a web page, in IndexedDB: each run's streams as the bytes history.jsonl, system.jsonl, ...
 * would hold (kept as chunks keyed by their byte offset), its documents, and its blobs by sha256. A write is one
 * transaction: it is stored whole or not at all, so a refused write (the bound or the browser's quota) never
 * loses what was stored before it.
 */
export class BrowserStore {
  private constructor(
    private readonly db: IDBDatabase,
    readonly maxBytes: number,
  ) {}

  static async open(options: BrowserStoreOptions = {}): Promise<BrowserStore> {
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    if (!(maxBytes > 0)) throw new RunlogError('INVALID_ARGUMENT', `maxBytes must be positive, got ${maxBytes}`);
    return new BrowserStore(await openDatabase(options.database ?? 'runlog'), maxBytes);
  }

  close(): void {
    this.db.close();
  }

  /** Stores a write in one transaction; QUOTA_EXCEEDED (nothing of it stored) past the bound or the browser's quota. */
  async commit(write: StoreWrite): Promise<void> {
    const tx = this.db.transaction(
      [STORES.runs, STORES.chunks, STORES.documents, STORES.blobs, STORES.meta],
      'readwrite',
    );
    const done = transactionDone(tx);
    let refusal: RunlogError | undefined;
    try {
      const meta = tx.objectStore(STORES.meta);
      const blobs = tx.objectStore(STORES.blobs);
      let added = 0;
      for (const chunk of write.chunks) added += chunk.bytes.length;
      for (const blob of write.blobs) {
        if ((await request(blobs.getKey(blob.sha256))) === undefined) added += blob.bytes.length;
        else blob.bytes = new Uint8Array(0); // stored already: not again
      }
      const usage = ((await request(meta.get(USAGE_KEY))) as number | undefined) ?? 0;
      if (usage + added > this.maxBytes) {
        refusal = quotaError(`${usage + added} bytes would pass the bound of ${this.maxBytes}`);
        tx.abort();
        await done.catch(() => {});
        throw refusal;
      }
      const chunks = tx.objectStore(STORES.chunks);
      for (const chunk of write.chunks) chunks.put(chunk.bytes, [write.record.key, chunk.stream, chunk.offset]);
      for (const blob of write.blobs) if (blob.bytes.length > 0) blobs.put(blob.bytes, blob.sha256);
      const documents = tx.objectStore(STORES.documents);
      for (const doc of write.documents)
        documents.put({ seq: doc.seq, value: doc.value }, [write.record.key, doc.name]);
      tx.objectStore(STORES.runs).put(write.record);
      meta.put(usage + added, USAGE_KEY);
      await done;
    } catch (error) {
      if (refusal) throw refusal;
      if (!tx.error && !(error instanceof DOMException)) {
        try {
          tx.abort();
        } catch {
          // already finished
        }
      }
      throw storageError(error);
    }
  }

  /** Bytes `[offset, offset + length)` of a stream (fewer at its end). */
  async readStream(key: string, stream: SyncStreamName, offset: number, length: number): Promise<Uint8Array> {
    const tx = this.db.transaction(STORES.chunks, 'readonly');
    const chunks = tx.objectStore(STORES.chunks);
    // The chunk holding `offset` starts at or before it: the last key at or below [key, stream, offset].
    const before = await request(
      chunks.openKeyCursor(IDBKeyRange.bound([key, stream, 0], [key, stream, offset]), 'prev'),
    );
    const start = before ? ((before.key as [string, string, number])[2] ?? 0) : offset;
    const range = IDBKeyRange.bound([key, stream, start], [key, stream, offset + length], false, true);
    const keys = (await request(chunks.getAllKeys(range))) as Array<[string, string, number]>;
    const values = (await request(chunks.getAll(range))) as Uint8Array[];
    const out = new Uint8Array(length);
    let filled = 0;
    for (let i = 0; i < keys.length; i++) {
      const at = keys[i][2];
      const bytes = values[i];
      const from = Math.max(offset, at);
      const to = Math.min(offset + length, at + bytes.length);
      if (to <= from) continue;
      out.set(bytes.subarray(from - at, to - at), from - offset);
      filled = Math.max(filled, to - offset);
    }
    return out.subarray(0, filled);
  }

  async readDocument(key: string, name: string): Promise<{ seq: number; value: unknown } | undefined> {
    const tx = this.db.transaction(STORES.documents, 'readonly');
    return (await request(tx.objectStore(STORES.documents).get([key, name]))) as
      | { seq: number; value: unknown }
      | undefined;
  }

  async readBlob(sha256: string): Promise<Uint8Array | undefined> {
    const tx = this.db.transaction(STORES.blobs, 'readonly');
    return (await request(tx.objectStore(STORES.blobs).get(sha256))) as Uint8Array | undefined;
  }

  async run(key: string): Promise<RunRecord | undefined> {
    const tx = this.db.transaction(STORES.runs, 'readonly');
    return (await request(tx.objectStore(STORES.runs).get(key))) as RunRecord | undefined;
  }

  async runs(): Promise<RunRecord[]> {
    const tx = this.db.transaction(STORES.runs, 'readonly');
    return (await request(tx.objectStore(STORES.runs).getAll())) as RunRecord[];
  }

  async acks(key: string): Promise<AckRecord | undefined> {
    const tx = this.db.transaction(STORES.acks, 'readonly');
    return (await request(tx.objectStore(STORES.acks).get(key))) as AckRecord | undefined;
  }

  async putAcks(acks: AckRecord): Promise<void> {
    const tx = this.db.transaction(STORES.acks, 'readwrite');
    tx.objectStore(STORES.acks).put(acks);
    await transactionDone(tx);
  }

  /**
   * Removes a run from the page's storage (its chunks, documents, acks, and the blobs no other run references) and
   * gives its bytes back to the bound. One transaction: the run is removed whole or not at all.
   */
  async deleteRun(key: string): Promise<number> {
    const stores = [STORES.runs, STORES.chunks, STORES.documents, STORES.blobs, STORES.acks, STORES.meta];
    const tx = this.db.transaction(stores, 'readwrite');
    const done = transactionDone(tx);
    const runs = tx.objectStore(STORES.runs);
    const record = (await request(runs.get(key))) as RunRecord | undefined;
    if (!record) {
      await done;
      return 0;
    }
    let freed = 0;
    for (const size of Object.values(record.streams)) freed += size ?? 0;
    const others = ((await request(runs.getAll())) as RunRecord[]).filter((r) => r.key !== key);
    const kept = new Set(others.flatMap(blobDigests));
    const blobs = tx.objectStore(STORES.blobs);
    for (const digest of new Set(blobDigests(record))) {
      if (kept.has(digest)) continue;
      const bytes = (await request(blobs.get(digest))) as Uint8Array | undefined;
      if (bytes) freed += bytes.length;
      blobs.delete(digest);
    }
    tx.objectStore(STORES.chunks).delete(IDBKeyRange.bound([key], [key, []]));
    tx.objectStore(STORES.documents).delete(IDBKeyRange.bound([key], [key, []]));
    tx.objectStore(STORES.acks).delete(key);
    runs.delete(key);
    const meta = tx.objectStore(STORES.meta);
    const usage = ((await request(meta.get(USAGE_KEY))) as number | undefined) ?? 0;
    meta.put(Math.max(0, usage - freed), USAGE_KEY);
    await done;
    return freed;
  }

  /** Bytes of streams and blobs stored. */
  async usage(): Promise<number> {
    const tx = this.db.transaction(STORES.meta, 'readonly');
    return ((await request(tx.objectStore(STORES.meta).get(USAGE_KEY))) as number | undefined) ?? 0;
  }
}

/** The blobs a run references: its files and its checkpoints' entries. */
function blobDigests(record: RunRecord): string[] {
  return [
    ...Object.values(record.files).map((file) => file.sha256),
    ...record.artifacts.flatMap((version) => Object.values(version.body.manifest.entries).map((entry) => entry.digest)),
  ];
}

function quotaError(detail: string): RunlogError {
  return new RunlogError(
    'QUOTA_EXCEEDED',
    `runlog's browser storage is full (${detail}): nothing of this write was stored, earlier rows are kept. Raise init's maxBytes, or let the upload finish and clear finished runs.`,
  );
}

function storageError(error: unknown): RunlogError {
  if (error instanceof RunlogError) return error;
  if (error instanceof DOMException && error.name === 'QuotaExceededError') return quotaError("the browser's quota");
  return new RunlogError('STORAGE', `IndexedDB write failed: ${(error as Error)?.message ?? String(error)}`);
}
