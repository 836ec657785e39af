import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (tests run from anywhere). */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const PYTHON_DIR = fileURLToPath(new URL('../python/', import.meta.url));

let python: string | undefined;

/**
 * A Python interpreter that can `import tensorboard`: $RUNLOG_TB_PYTHON, else the repository's .tmp/tb-venv,
 * created on first use by scripts/ensure-tensorboard-venv.sh (as .ci/run does). Test files run in parallel
 * processes: a lock folder makes one of them install while the others wait.
 */
export function tensorboardPython(): string {
  if (python) return python;
  const fromEnv = process.env.RUNLOG_TB_PYTHON;
  if (fromEnv) {
    python = fromEnv;
    return python;
  }
  const venvPython = join(REPO_ROOT, '.tmp/tb-venv/bin/python');
  if (!works(venvPython)) {
    const lock = join(REPO_ROOT, '.tmp/tb-venv.lock');
    mkdirSync(join(REPO_ROOT, '.tmp'), { recursive: true });
    if (acquire(lock)) {
      try {
        const result = spawnSync('bash', [join(REPO_ROOT, 'scripts/ensure-tensorboard-venv.sh')], {
          stdio: 'inherit',
        });
        if (result.status !== 0) throw new Error('scripts/ensure-tensorboard-venv.sh failed');
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
    } else {
      const deadline = Date.now() + 240_000;
      while (existsSync(lock) && Date.now() < deadline)
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
    if (!works(venvPython)) {
      throw new Error(`no Python with tensorboard at ${venvPython}: run scripts/ensure-tensorboard-venv.sh`);
    }
  }
  python = venvPython;
  return python;
}

function works(path: string): boolean {
  if (!existsSync(path)) return false;
  return spawnSync(path, ['-c', 'import tensorboard'], { stdio: 'ignore' }).status === 0;
}

function acquire(lock: string): boolean {
  try {
    mkdirSync(lock);
    return true;
  } catch {
    // A lock left by a killed run is stale after five minutes.
    if (Date.now() - statSync(lock).mtimeMs > 300_000) {
      rmSync(lock, { recursive: true, force: true });
      return acquire(lock);
    }
    return false;
  }
}

/** Runs one of test/python/*.py with TensorBoard's Python and returns its stdout parsed as JSON. */
export function runPythonJson<T>(script: string, args: string[]): T {
  const stdout = execFileSync(tensorboardPython(), [join(PYTHON_DIR, script), ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3', PYTHONWARNINGS: 'ignore' },
  });
  return JSON.parse(stdout) as T;
}
