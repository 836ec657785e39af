/// <reference lib="dom" />
import { RunlogError } from '@runlog/core/browser';
import { BrowserRun } from './browserRun.js';
import { BrowserStore } from './browserStore.js';
import { captureConsole } from './consoleCapture.js';
import type { LogOptions } from './historyLog.js';
import { resumeUploads } from './resumeUploads.js';
import { lockName } from './runLock.js';
import { type RunRecord, runKey } from './runRecord.js';
import { RunUploader } from './runUploader.js';

export interface InitOptions {
  project: string;
  /** Default: 8 random letters and digits. */
  id?: string;
  name?: string;
  config?: Record<string, unknown>;
  tags?: string[];
  notes?: string;
  group?: string;
  jobType?: string;
  /** The runlog server to stream to (`http://host:port`); without it the run stays in the page (offline). */
  host?: string;
  /** A write token for the project (`runlog server token create --role write`). */
  apiKey?: string;
  /** Bytes of runlog's storage in this origin at most (default 512 MiB): past it, QUOTA_EXCEEDED. */
  maxBytes?: number;
  /** The IndexedDB database (default 'runlog'). */
  database?: string;
  /** How often rows are written to the page's storage (default 500 ms). */
  flushIntervalMs?: number;
  /** How often a live run uploads (default 1000 ms). */
  syncIntervalMs?: number;
  /** How long finish() waits for the upload (default 30 s); the next page load finishes it otherwise. */
  syncTimeoutMs?: number;
  /** Also finish the uploads that earlier page loads of this origin left (default true with a host). */
  resumePending?: boolean;
  /** Mirror the page's console (log, info, warn, error, debug) into the run's output stream (default true). */
  console?: boolean;
}

const NAME = /^[A-Za-z0-9._-]{1,128}$/;
let currentRun: BrowserRun | undefined;

/**
 * Starts a run in this page. It is stored in the page's IndexedDB first and, with `host`, streamed to that runlog
 * server while training goes on; uploads that earlier page loads left unfinished are resumed too.
 * @example
 * const run = await init({ project: 'mnist', host: 'http://127.0.0.1:8080', apiKey, config: { lr: 1e-3 } });
 * run.log({ loss: 0.3 });
 * await run.finish();
 */
export async function init(options: InitOptions): Promise<BrowserRun> {
  if (typeof indexedDB === 'undefined') {
    throw new RunlogError(
      'DEPENDENCY_MISSING',
      '@runlog/browser needs IndexedDB (a web page or worker); in Node use @runlog/core',
    );
  }
  const project = checkName('project', options.project);
  const id = checkName('id', options.id ?? randomId());
  const store = await BrowserStore.open({ database: options.database, maxBytes: options.maxBytes });
  const key = runKey(project, id);
  if (await store.run(key))
    throw new RunlogError('RUN_EXISTS', `run ${key} is already stored in this page: pick another id`);
  const record: RunRecord = {
    key,
    project,
    id,
    state: 'running',
    createdAt: new Date().toISOString(),
    streams: {},
    documents: {},
    files: {},
    artifacts: [],
  };
  const uploader = options.host
    ? new RunUploader(store, key, { host: options.host, apiKey: options.apiKey, intervalMs: options.syncIntervalMs })
    : undefined;
  const run = new BrowserRun(
    {
      project,
      id,
      name: options.name ?? id,
      tags: options.tags ?? [],
      notes: options.notes ?? '',
      group: options.group ?? null,
      jobType: options.jobType ?? null,
    },
    store,
    record,
    uploader,
    options.flushIntervalMs ?? 500,
    options.syncTimeoutMs ?? 30_000,
  );
  if (options.config) run.config.update(options.config);
  await run.flush(); // run.json is stored before init returns: the run exists even if the tab closes now
  // This page owns the run while it lives: a later page load resumes its upload only once this one is gone.
  // Held until the run finished and (online) its upload is complete or stopped.
  const finished = new Promise<void>((resolve) => run.on('finish', () => resolve()));
  holdLock(key, uploader ? Promise.all([finished, uploader.start()]).then(() => {}) : finished);
  flushWhenHidden(run);
  if (options.console !== false) {
    const release = captureConsole((text) => run.writeOutput(text));
    run.on('finish', release);
  }
  currentRun = run;
  run.on('finish', () => {
    if (currentRun === run) currentRun = undefined;
  });
  if (uploader) {
    if (options.resumePending !== false) {
      void resumeUploads({
        host: options.host!,
        apiKey: options.apiKey,
        database: options.database,
        maxBytes: options.maxBytes,
      });
    }
  }
  return run;
}

/** The current run (the last one init started that has not finished), or undefined. */
export function getRun(): BrowserRun | undefined {
  return currentRun;
}

/** `log()` on the current run. */
export function log(data: Record<string, unknown>, options?: LogOptions): void {
  requireRun('log').log(data, options);
}

/** `finish()` on the current run. */
export async function finish(exitCode = 0): Promise<void> {
  await requireRun('finish').finish(exitCode);
}

function requireRun(method: string): BrowserRun {
  if (!currentRun)
    throw new RunlogError('NO_ACTIVE_RUN', `${method}() needs a run: call \`await init({ project })\` first`);
  return currentRun;
}

/** A tab being hidden or closed may not come back: what is logged is stored at once (IndexedDB may finish it). */
function flushWhenHidden(run: BrowserRun): void {
  if (typeof document === 'undefined') return;
  const flush = () => void run.flush().catch(() => {});
  const onVisibility = () => {
    if (document.visibilityState === 'hidden') flush();
  };
  document.addEventListener('visibilitychange', onVisibility);
  globalThis.addEventListener?.('pagehide', flush);
  run.on('finish', () => {
    document.removeEventListener('visibilitychange', onVisibility);
    globalThis.removeEventListener?.('pagehide', flush);
  });
}

function holdLock(key: string, until: Promise<void>): void {
  if (typeof navigator === 'undefined' || !navigator.locks) return;
  void navigator.locks.request(lockName(key), () => until);
}

function checkName(what: string, value: unknown): string {
  if (typeof value !== 'string' || !NAME.test(value) || value === '.' || value === '..') {
    throw new RunlogError(
      'INVALID_ARGUMENT',
      `${what} must be 1-128 letters, digits, '-', '_' or '.', got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return Array.from(bytes, (b) => 'abcdefghijklmnopqrstuvwxyz0123456789'[b % 36]).join('');
}
