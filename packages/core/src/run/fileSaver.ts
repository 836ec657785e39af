import { copyFile, mkdir, readdir, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { InvalidValueError } from '../errors/runlogError.js';

export type SavePolicy = 'live' | 'now' | 'end';

/** run.save()'s arguments, checked before anything is copied: the glob, and the policy (default 'live'). */
export function checkSave(glob: unknown, policy: unknown = 'live'): SavePolicy {
  if (typeof glob !== 'string' || glob.length === 0)
    throw new InvalidValueError('save() needs a glob pattern', 'INVALID_ARGUMENT');
  if (policy !== 'live' && policy !== 'now' && policy !== 'end')
    throw new InvalidValueError("policy must be 'live', 'now' or 'end'", 'INVALID_ARGUMENT');
  return policy;
}

interface SaveRule {
  matcher: (path: string) => boolean;
  basePath: string;
  policy: SavePolicy;
}

const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);

/** Implements run.save(): copies matching files into the run's files/ folder by policy. */
export class FileSaver {
  private readonly rules: SaveRule[] = [];
  /** Source path -> mtime of the copy we made, so 'live' files are copied again only when they change. */
  private readonly copied = new Map<string, number>();

  constructor(
    private readonly filesDir: string,
    private readonly reportError: (error: unknown, context: string) => void,
  ) {}

  async add(glob: string, basePath: string, policy: SavePolicy): Promise<string[]> {
    const { default: picomatch } = await import('picomatch');
    const base = resolve(basePath);
    const pattern = glob.startsWith('/') ? relative(base, glob) : glob;
    const rule: SaveRule = { matcher: picomatch(pattern, { dot: true }), basePath: base, policy };
    this.rules.push(rule);
    const files = await this.matching(rule);
    if (policy !== 'end') await this.copyAll(rule, files);
    return files.map((file) => relative(base, file));
  }

  /** Called at every flush: copies 'live' files that changed. */
  async refresh(): Promise<void> {
    for (const rule of this.rules) if (rule.policy === 'live') await this.copyAll(rule, await this.matching(rule));
  }

  async finish(): Promise<void> {
    for (const rule of this.rules) if (rule.policy !== 'now') await this.copyAll(rule, await this.matching(rule));
  }

  private async matching(rule: SaveRule): Promise<string[]> {
    const found: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) {
          // Never walk into the run's own files (a store inside the base path).
          if (!SKIPPED_FOLDERS.has(entry.name) && !this.filesDir.startsWith(full + sep) && full !== this.filesDir)
            await walk(full);
        } else if (entry.isFile() && rule.matcher(relative(rule.basePath, full))) found.push(full);
      }
    };
    await walk(rule.basePath);
    return found;
  }

  private async copyAll(rule: SaveRule, files: string[]): Promise<void> {
    for (const file of files) {
      try {
        const { mtimeMs } = await stat(file);
        if (this.copied.get(file) === mtimeMs) continue;
        const target = join(this.filesDir, relative(rule.basePath, file));
        await mkdir(dirname(target), { recursive: true });
        await copyFile(file, target);
        this.copied.set(file, mtimeMs);
      } catch (error) {
        this.reportError(error, `saving ${file}`);
      }
    }
  }
}
