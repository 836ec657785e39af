import { join, resolve } from 'node:path';
import { InvalidValueError } from '../errors/runlogError.js';

const SAFE_NAME = /^[A-Za-z0-9_.-]+$/;

/** Project names, run ids and artifact names: letters, digits, '-', '_', '.', not '.' or '..' alone. */
export function assertSafeName(what: string, name: unknown): asserts name is string {
  if (typeof name !== 'string' || !SAFE_NAME.test(name) || name === '.' || name === '..' || name.length > 128) {
    throw new InvalidValueError(
      `${what} ${JSON.stringify(name)} is not allowed: use 1-128 letters, digits, '-', '_' or '.'`,
      'INVALID_ARGUMENT',
    );
  }
}

/**
 * The store root: an explicit dir, else $RUNLOG_DIR, else t9k's $EM_RUN_PARENT_DIR (so runs of ported t9k code,
 * and the readers beside them, find one store), else ./runlog.
 */
export function resolveStoreDir(dir?: string): string {
  return resolve(dir ?? process.env.RUNLOG_DIR ?? process.env.EM_RUN_PARENT_DIR ?? 'runlog');
}

/** Where things live in a store (docs/FORMAT.md, "Layout"). */
export const storePaths = {
  project: (store: string, project: string) => join(store, project),
  runs: (store: string, project: string) => join(store, project, 'runs'),
  run: (store: string, project: string, id: string) => join(store, project, 'runs', id),
  artifacts: (store: string, project: string) => join(store, project, 'artifacts'),
  objects: (store: string) => join(store, 'objects', 'sha256'),
};

/** File names inside a run folder. */
export const RUN_FILES = {
  run: 'run.json',
  history: 'history.jsonl',
  historyIndex: 'history-index.jsonl',
  summary: 'summary.json',
  metrics: 'metrics.json',
  system: 'system.jsonl',
  output: 'output.log',
  alerts: 'alerts.jsonl',
  artifacts: 'artifacts.jsonl',
  heartbeat: 'heartbeat',
  stopRequest: 'stop-request.json',
  media: 'media',
  files: 'files',
} as const;

export const FORMAT_VERSION = 1;
