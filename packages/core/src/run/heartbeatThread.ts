import { hostname } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * The heartbeat writer runs on a thread of its own so that a live run keeps beating while the training thread is
 * busy (a long synchronous epoch never yields to the event loop, and a timer there would starve). The file is
 * replaced atomically: a reader never sees a torn beat.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { writeFileSync, renameSync } = require('node:fs');
const timers = new Map();
function beat(path, pid, host) {
  try {
    const temp = path + '.' + pid + '.tmp';
    writeFileSync(temp, JSON.stringify({ pid, host, at: new Date().toISOString() }));
    renameSync(temp, path);
  } catch {
    // the folder went away or the disk is full: the next beat tries again
  }
}
parentPort.on('message', (m) => {
  if (m.add) {
    clearInterval(timers.get(m.add.path));
    beat(m.add.path, m.add.pid, m.add.host);
    timers.set(m.add.path, setInterval(beat, m.add.intervalMs, m.add.path, m.add.pid, m.add.host));
  } else if (m.remove) {
    clearInterval(timers.get(m.remove));
    timers.delete(m.remove);
  }
});
`;

let worker: Worker | undefined;
const beating = new Set<string>();

/**
 * Starts beating `path` every `intervalMs` on the shared heartbeat thread (one per process, started with the first
 * run and ended with the last). Returns false when no thread can be started; the caller then beats on a timer.
 */
export function startHeartbeat(path: string, intervalMs: number): boolean {
  try {
    worker ??= makeWorker();
  } catch {
    return false;
  }
  beating.add(path);
  worker.postMessage({ add: { path, intervalMs, pid: process.pid, host: hostname() } });
  return true;
}

export function stopHeartbeat(path: string): void {
  if (!beating.delete(path) || worker === undefined) return;
  worker.postMessage({ remove: path });
  if (beating.size === 0) {
    void worker.terminate();
    worker = undefined;
  }
}

function makeWorker(): Worker {
  const thread = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], stdout: false, stderr: false });
  thread.unref(); // never keeps the process alive
  thread.on('error', () => {
    // a beat is best-effort; readers of a live pid on this host do not need it
  });
  return thread;
}
