import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export interface GitInfo {
  commit?: string;
  branch?: string;
  remote?: string;
  dirty?: boolean;
  root?: string;
}

function findGitDir(from: string): { gitDir: string; root: string } | undefined {
  let dir = resolve(from);
  for (;;) {
    const candidate = join(dir, '.git');
    if (existsSync(candidate)) {
      if (statSync(candidate).isDirectory()) return { gitDir: candidate, root: dir };
      const pointer = /^gitdir:\s*(.+)$/m.exec(readFileSync(candidate, 'utf8')); // worktrees and submodules
      if (pointer) return { gitDir: resolve(dir, pointer[1].trim()), root: dir };
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function readRef(gitDir: string, ref: string): string | undefined {
  const loose = join(gitDir, ref);
  if (existsSync(loose)) return readFileSync(loose, 'utf8').trim();
  const commonDir = existsSync(join(gitDir, 'commondir'))
    ? resolve(gitDir, readFileSync(join(gitDir, 'commondir'), 'utf8').trim())
    : gitDir;
  const looseCommon = join(commonDir, ref);
  if (existsSync(looseCommon)) return readFileSync(looseCommon, 'utf8').trim();
  const packed = join(commonDir, 'packed-refs');
  if (!existsSync(packed)) return undefined;
  for (const line of readFileSync(packed, 'utf8').split('\n')) {
    const [sha, name] = line.split(' ');
    if (name === ref) return sha;
  }
  return undefined;
}

/**
 * Commit, branch and origin remote read straight from .git (no process spawned, so init stays fast).
 * The dirty flag needs `git status`; `gitDirty` runs it in the background.
 */
export function readGitInfo(cwd = process.cwd()): GitInfo | undefined {
  try {
    const found = findGitDir(cwd);
    if (!found) return undefined;
    const head = readFileSync(join(found.gitDir, 'HEAD'), 'utf8').trim();
    const info: GitInfo = { root: found.root };
    if (head.startsWith('ref: ')) {
      const ref = head.slice(5);
      info.branch = ref.replace(/^refs\/heads\//, '');
      info.commit = readRef(found.gitDir, ref);
    } else info.commit = head;
    const configPath = existsSync(join(found.gitDir, 'commondir'))
      ? join(resolve(found.gitDir, readFileSync(join(found.gitDir, 'commondir'), 'utf8').trim()), 'config')
      : join(found.gitDir, 'config');
    if (existsSync(configPath)) {
      const origin = /\[remote "origin"\][^[]*?url\s*=\s*(\S+)/.exec(readFileSync(configPath, 'utf8'));
      if (origin) info.remote = origin[1];
    }
    return info;
  } catch {
    return undefined;
  }
}

/** How long `git status` may take before the dirty flag is left unknown (a huge work tree, a slow disk). */
export const GIT_STATUS_TIMEOUT_MS = 3000;

/** Whether the work tree has uncommitted changes; undefined when git is missing or slow. */
export function gitDirty(root: string, timeoutMs = GIT_STATUS_TIMEOUT_MS): Promise<boolean | undefined> {
  return new Promise((done) => {
    execFile(
      'git',
      ['status', '--porcelain', '--untracked-files=no'],
      { cwd: root, timeout: timeoutMs },
      (error, stdout) => {
        done(error ? undefined : stdout.trim().length > 0);
      },
    );
  });
}
