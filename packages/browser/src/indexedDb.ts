/// <reference lib="dom" />
// Promises over IndexedDB's requests and transactions (the page's own storage).

export const STORES = {
  runs: 'runs',
  chunks: 'chunks',
  documents: 'documents',
  blobs: 'blobs',
  acks: 'acks',
  meta: 'meta',
};
const SCHEMA_VERSION = 1;

export function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Resolves when the transaction committed; rejects with its error (or `reason`) when it aborted. */
export function transactionDone(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new DOMException('transaction aborted', 'AbortError'));
  });
}

/** Opens (and on first use creates) the runlog database of this origin. */
export function openDatabase(name: string): Promise<IDBDatabase> {
  const open = indexedDB.open(name, SCHEMA_VERSION);
  open.onupgradeneeded = () => {
    const db = open.result;
    db.createObjectStore(STORES.runs, { keyPath: 'key' });
    db.createObjectStore(STORES.chunks); // key [runKey, stream, offset]: the stream's bytes from offset
    db.createObjectStore(STORES.documents); // key [runKey, name]: { seq, value }
    db.createObjectStore(STORES.blobs); // key sha256: the bytes
    db.createObjectStore(STORES.acks, { keyPath: 'key' });
    db.createObjectStore(STORES.meta);
  };
  return request(open);
}
