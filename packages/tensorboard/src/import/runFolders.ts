import { readdir } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { isEventFileName } from '../format/eventFileName.js';

/**
 * Subfolders that Keras (`train/`, `validation/`), tf.node.tensorBoard (`train/`, `val/`) and similar callbacks
 * write beside each other for one training run: they are folded into the run of their parent folder, their
 * tags prefixed with the subfolder's name.
 */
export const SPLIT_FOLDERS: ReadonlySet<string> = new Set(['train', 'validation', 'val', 'eval', 'evaluation', 'test']);

/** One run found in a logdir: its folder and the folders whose event files it reads, each with a key prefix. */
export interface RunFolder {
  /** The run's path relative to the logdir ('/'-separated), or the logdir's own name for the logdir itself. */
  name: string;
  /** Absolute folder of the run. */
  root: string;
  /** The folder and its split subfolders that hold event files: `prefix` is '' or `<split>/`. */
  sources: Array<{ folder: string; prefix: string }>;
}

const MAX_DEPTH = 32;

/** Folders under `dir` (itself included) that hold event files; symbolic links are not followed. */
export async function eventFolders(dir: string, depth = 0, into: string[] = []): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  if (entries.some((entry) => entry.isFile() && isEventFileName(entry.name))) into.push(dir);
  if (depth < MAX_DEPTH) {
    const folders = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    for (const name of folders.sort()) await eventFolders(join(dir, name), depth + 1, into);
  }
  return into;
}

/**
 * The runs of a logdir, as TensorBoard would list them but with Keras-style split subfolders folded into their
 * parent: one run per folder of event files otherwise.
 */
export async function findRunFolders(logdir: string): Promise<RunFolder[]> {
  const root = resolve(logdir);
  const runs = new Map<string, RunFolder>();
  for (const folder of await eventFolders(root)) {
    const split = folder !== root && SPLIT_FOLDERS.has(basename(folder));
    const runRoot = split ? dirname(folder) : folder;
    let run = runs.get(runRoot);
    if (run === undefined) {
      const name = relative(root, runRoot).split('\\').join('/') || basename(root);
      run = { name, root: runRoot, sources: [] };
      runs.set(runRoot, run);
    }
    run.sources.push({ folder, prefix: split ? `${basename(folder)}/` : '' });
  }
  return [...runs.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
