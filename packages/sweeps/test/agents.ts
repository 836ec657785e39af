import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..', '..');
export const BIN = join(ROOT, 'packages', 'cli', 'dist', 'bin.js');
export const TRIAL = join(import.meta.dirname, 'fixtures', 'trial.mjs');

export function assertBuilt(): void {
  for (const file of [
    BIN,
    join(ROOT, 'packages', 'sweeps', 'dist', 'index.js'),
    join(ROOT, 'packages', 'core', 'dist', 'index.js'),
  ])
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`pnpm build\` first`);
}

export interface Started {
  child: ChildProcess;
  output: () => string;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the built `runlog` binary (its own process group, so a test can kill an agent with its trial). */
export function startRunlog(args: string[], env: Record<string, string> = {}): Started {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let text = '';
  child.stdout?.on('data', (d) => {
    text += String(d);
  });
  child.stderr?.on('data', (d) => {
    text += String(d);
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => text, done };
}

export async function runRunlog(args: string[], env: Record<string, string> = {}) {
  const started = startRunlog(args, env);
  const exit = await started.done;
  return { ...exit, output: started.output() };
}

export async function waitFor(check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}
