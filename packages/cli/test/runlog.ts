// Runs the real built `runlog` binary (packages/cli/dist/bin.js), as a user would.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const BIN = join(import.meta.dirname, '..', 'dist', 'bin.js');
export const ROOT = join(import.meta.dirname, '..', '..', '..');

export function assertBuilt(): void {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`pnpm --filter @runlog/cli build\` first`);
}

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `runlog ...args` to completion. NO_COLOR is unset and output is piped, so there are no colours. */
export function runlog(args: string[], env: Record<string, string | undefined> = {}): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...env }, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Starts `runlog ...args` and collects its output until it exits. */
export function startRunlog(args: string[]): { child: ChildProcess; done: Promise<Result>; output: () => string } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += String(d);
  });
  child.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  const done = new Promise<Result>((resolve) =>
    child.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr })),
  );
  return { child, done, output: () => stdout };
}

/** Starts the live training fixture; resolves once its run exists. */
export async function startLiveRun(store: string, id: string, mode: string, gated = false): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(import.meta.dirname, 'fixtures', 'liveRun.ts'),
      store,
      id,
      mode,
      ...(gated ? ['gated'] : []),
    ],
    {
      cwd: ROOT,
      stdio: [gated ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d) => {
      out += String(d);
      if (out.includes('STARTED')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`live run exited (${code}) before starting`)));
  });
  return child;
}

export async function waitUntil(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
