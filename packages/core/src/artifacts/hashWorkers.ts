import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** What a hash worker does with one file. */
export interface TransferTask {
  /** 'link': hard-link source to temp (a copy where links are impossible), hash temp. 'hash': hash source. */
  op: 'link' | 'hash';
  source: string;
  temp?: string;
  /** 'link': what to copy from when a link is impossible (default source). */
  copySource?: string;
}

export interface TransferResult {
  digest: string;
  bytes: number;
  linked: boolean;
}

// Plain CommonJS evaluated in the worker: works the same from the ESM and the CJS build, with no file to ship.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const buffer = Buffer.allocUnsafe(4 << 20);
const LINK_FALLBACK = new Set(['EXDEV', 'EPERM', 'ENOTSUP', 'EMLINK', 'EOPNOTSUPP']);
function hash(path) {
  const fd = fs.openSync(path, 'r');
  try {
    const h = createHash('sha256');
    let bytes = 0;
    for (;;) {
      const n = fs.readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      h.update(buffer.subarray(0, n));
      bytes += n;
    }
    return { digest: h.digest('hex'), bytes };
  } finally {
    fs.closeSync(fd);
  }
}
parentPort.on('message', ({ id, task }) => {
  try {
    let linked = false;
    if (task.op === 'link') {
      try { fs.linkSync(task.source, task.temp); linked = true; }
      catch (error) { if (!LINK_FALLBACK.has(error.code)) throw error; }
    }
    if (task.op === 'link' && !linked) fs.copyFileSync(task.copySource || task.source, task.temp, fs.constants.COPYFILE_FICLONE);
    const result = hash(task.op === 'hash' ? task.source : task.temp);
    parentPort.postMessage({ id, result: { ...result, linked } });
  } catch (error) {
    parentPort.postMessage({ id, error: { message: error.message, code: error.code } });
  }
});
`;

interface Slot {
  worker: Worker;
  /** Ids of the tasks this worker is running. */
  jobs: Set<number>;
}

interface Pending {
  resolve: (result: TransferResult) => void;
  reject: (error: Error) => void;
}

const IDLE_MS = 15_000;

/**
 * A small pool of worker threads that sha256 files (and hard-link them first for the 'immutable' policy), so hashing uses every core and the
 * main thread stays free. Workers start on first use, keep the process alive only while they have work, and
 * stop after 15 idle seconds (a training loop that checkpoints every few seconds keeps them warm).
 */
export class HashWorkers {
  private static instance: HashWorkers | undefined;
  private readonly workers: Slot[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly queue: { id: number; task: TransferTask }[] = [];
  private nextId = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  private constructor(private readonly size: number) {}

  /** The process-wide pool (created lazily; no work happens at import time). */
  static shared(): HashWorkers {
    HashWorkers.instance ??= new HashWorkers(Math.max(1, Math.min(4, availableParallelism())));
    return HashWorkers.instance;
  }

  get parallelism(): number {
    return this.size;
  }

  run(task: TransferTask): Promise<TransferResult> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const id = this.nextId++;
    return new Promise<TransferResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.queue.push({ id, task });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length) {
      let slot = this.workers.find((w) => w.jobs.size === 0);
      if (!slot && this.workers.length < this.size) slot = this.spawn();
      if (!slot) return;
      const job = this.queue.shift()!;
      slot.jobs.add(job.id);
      slot.worker.ref();
      slot.worker.postMessage(job);
    }
  }

  private spawn(): Slot {
    // No inherited execArgv: flags such as --input-type=module would make the CommonJS source fail to parse.
    const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [] });
    const slot: Slot = { worker, jobs: new Set() };
    worker.on(
      'message',
      (message: { id: number; result?: TransferResult; error?: { message: string; code?: string } }) => {
        slot.jobs.delete(message.id);
        if (slot.jobs.size === 0) worker.unref();
        const waiting = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (waiting) {
          if (message.result) waiting.resolve(message.result);
          else waiting.reject(Object.assign(new Error(message.error?.message), { code: message.error?.code }));
        }
        this.dispatch();
        this.scheduleIdleStop();
      },
    );
    worker.on('error', (error) => this.fail(slot, error));
    worker.on('exit', () => {
      const index = this.workers.indexOf(slot);
      if (index !== -1) this.workers.splice(index, 1);
    });
    this.workers.push(slot);
    return slot;
  }

  /** A crashed worker fails the tasks it was running; the others go on (a new worker starts if needed). */
  private fail(slot: Slot, error: Error): void {
    const index = this.workers.indexOf(slot);
    if (index !== -1) this.workers.splice(index, 1);
    for (const id of slot.jobs) {
      this.pending.get(id)?.reject(error);
      this.pending.delete(id);
    }
    slot.jobs.clear();
    this.dispatch();
  }

  private scheduleIdleStop(): void {
    if (this.pending.size || this.idleTimer) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.pending.size) return;
      for (const { worker } of this.workers.splice(0)) void worker.terminate();
    }, IDLE_MS);
    this.idleTimer.unref();
  }
}
