import { copyFile, mkdir, stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { InvalidValueError } from '../errors/runlogError.js';
import { matchSave, resolveSave, type SaveSpec } from './savePaths.js';

export type SavePolicy = 'live' | 'now' | 'end';

export interface SaveOptions {
  /** A prefix of the glob: what is under files/ is the path relative to it (see savePaths.ts). */
  basePath?: string;
  /** 'live' (default), 'now' or 'end'. */
  policy?: SavePolicy;
}

/** run.save()'s arguments, checked before anything is copied (also by a disabled run). */
export function checkSave(glob: unknown, options: SaveOptions = {}): { spec: SaveSpec; policy: SavePolicy } {
  if (typeof glob !== 'string' || glob.length === 0)
    throw new InvalidValueError('save() needs a glob pattern', 'INVALID_ARGUMENT');
  const policy = options?.policy ?? 'live';
  if (policy !== 'live' && policy !== 'now' && policy !== 'end')
    throw new InvalidValueError("policy must be 'live', 'now' or 'end'", 'INVALID_ARGUMENT');
  return { spec: resolveSave(glob, options?.basePath), policy };
}

/** One file found by a save() call: where it is, where its copy goes, and how often it is copied. */
interface SavedFile {
  source: string;
  target: string;
  policy: SavePolicy;
}

/**
 * Implements run.save() with wandb's rules (savePaths.ts): the glob is expanded when save() is called, so
 * files created later are not picked up; 'now' copies once, 'live' copies now, whenever a found file changes
 * (at each flush) and at finish; 'end' copies at finish.
 */
export class FileSaver {
  private readonly saved = new Map<string, SavedFile>();
  /** Source path -> mtime and size of the copy we made, so files are copied again only when they change. */
  private readonly copied = new Map<string, string>();
  private readonly warnedGlobs = new Set<string>();

  constructor(
    private readonly filesDir: string,
    private readonly reportError: (error: unknown, context: string) => void,
    private readonly warn: (message: string) => void = () => {},
  ) {}

  /** Returns the paths of the copies inside the run's files/ folder (absolute, as wandb's symlinks). */
  async add(spec: SaveSpec, policy: SavePolicy): Promise<string[]> {
    const sources = await matchSave(spec, this.filesDir);
    if (!sources.length && !this.warnedGlobs.has(spec.glob)) {
      this.warnedGlobs.add(spec.glob);
      this.warn(`save(): nothing matches ${spec.glob} now; files created later are not picked up, call save() again`);
    }
    const files = sources.map((source) => ({
      source,
      target: join(this.filesDir, relative(spec.basePath, source)),
      policy,
    }));
    for (const file of files) {
      const earlier = this.saved.get(file.target);
      // A later call may widen a file's policy ('now' then 'live'), never narrow it.
      if (!earlier || earlier.policy === 'now' || policy === 'live') this.saved.set(file.target, file);
    }
    if (policy !== 'end') await this.copyAll(files);
    return files.map((file) => file.target);
  }

  /** Called at every flush: copies 'live' files that changed. */
  async refresh(): Promise<void> {
    await this.copyAll([...this.saved.values()].filter((file) => file.policy === 'live'));
  }

  async finish(): Promise<void> {
    await this.copyAll([...this.saved.values()].filter((file) => file.policy !== 'now'));
  }

  private async copyAll(files: SavedFile[]): Promise<void> {
    for (const { source, target } of files) {
      try {
        const info = await stat(source);
        const version = `${info.mtimeMs}:${info.size}`;
        if (this.copied.get(target) === version) continue;
        await mkdir(dirname(target), { recursive: true });
        await copyFile(source, target);
        this.copied.set(target, version);
      } catch (error) {
        // A saved file that was deleted since is no error: there is nothing newer to copy.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.reportError(error, `saving ${source}`);
      }
    }
  }
}
