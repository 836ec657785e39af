/// <reference lib="dom" />
import { BrowserStore } from './browserStore.js';
import { lockName } from './runLock.js';
import { RunUploader } from './runUploader.js';
import { LIVE_STATES } from './storeRunSource.js';

export interface ResumeOptions {
  host: string;
  apiKey?: string;
  database?: string;
  maxBytes?: number;
  /** How long to keep trying (default 60 s). */
  timeoutMs?: number;
}

/**
 * Removes from the page's storage every run the server acknowledged completely (see `BrowserStore.deleteRun`),
 * freeing room under the bound; returns the runs removed. Runs still live or not all uploaded are kept.
 */
export async function pruneUploaded(options: { database?: string } = {}): Promise<string[]> {
  const store = await BrowserStore.open({ database: options.database });
  const removed: string[] = [];
  for (const record of await store.runs()) {
    if (!(await store.acks(record.key))?.complete) continue;
    await store.deleteRun(record.key);
    removed.push(record.key);
  }
  return removed;
}

export interface ResumeReport {
  /** Runs whose upload completed now. */
  completed: string[];
  /** Runs still not complete (the server could not be reached in time). */
  pending: string[];
}

/**
 * Finishes the uploads earlier page loads of this origin left (a closed tab, a lost connection): every stored run
 * the server has not acknowledged completely and that no open page owns. A run whose page died while it was
 * running is recorded as `crashed` first, as a Node reader would see it. The server's answers say where each
 * stream resumes, so nothing is sent twice.
 */
export async function resumeUploads(options: ResumeOptions): Promise<ResumeReport> {
  const store = await BrowserStore.open({ database: options.database, maxBytes: options.maxBytes });
  const report: ResumeReport = { completed: [], pending: [] };
  for (const record of await store.runs()) {
    if ((await store.acks(record.key))?.complete) continue;
    await withFreeLock(lockName(record.key), async () => {
      if (LIVE_STATES.has(record.state)) await markCrashed(store, record.key);
      const uploader = new RunUploader(store, record.key, { host: options.host, apiKey: options.apiKey });
      const done = await uploader.settle(options.timeoutMs ?? 60_000);
      uploader.stop();
      (done ? report.completed : report.pending).push(record.key);
    });
  }
  return report;
}

/** Runs `work` holding the lock, unless another page holds it (that page owns the run and uploads it). */
async function withFreeLock(name: string, work: () => Promise<void>): Promise<void> {
  if (typeof navigator === 'undefined' || !navigator.locks) return work();
  await navigator.locks.request(name, { ifAvailable: true }, async (lock) => {
    if (lock) await work();
  });
}

async function markCrashed(store: BrowserStore, key: string): Promise<void> {
  const record = await store.run(key);
  const doc = await store.readDocument(key, 'run.json');
  if (!record || !doc) return;
  const seq = Math.max(doc.seq + 1, Date.now());
  const value = { ...(doc.value as Record<string, unknown>), state: 'crashed', updatedAt: new Date().toISOString() };
  await store.commit({
    record: { ...record, state: 'crashed', documents: { ...record.documents, 'run.json': seq } },
    chunks: [],
    documents: [{ name: 'run.json', seq, value }],
    blobs: [],
  });
}
