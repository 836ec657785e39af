/**
 * Child processes for the packaging tests: run one to its end, or start one and wait for a line it prints.
 * Asynchronous on purpose: an npm install takes tens of seconds and vitest's worker must stay responsive.
 */
import { type ChildProcess, spawn } from 'node:child_process';

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
}

/** Runs a command to its end; never rejects for a non-zero exit (the caller asserts on `code`). */
export function run(command: string, args: string[], options: RunOptions): Promise<Finished> {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  return finished(child, options.timeoutMs);
}

function finished(child: ChildProcess, timeoutMs: number): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out after ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

export interface Serving {
  /** The first match of `pattern` in the child's stdout. */
  match: RegExpExecArray;
  /** Stops the child (SIGTERM, SIGKILL after 5 s) and gives what it printed. */
  stop(): Promise<Finished>;
}

/** Starts a long-running command and resolves once its stdout matches `pattern`. */
export function serve(command: string, args: string[], pattern: RegExp, options: RunOptions): Promise<Serving> {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const done = finished(child, options.timeoutMs + 10_000);
  const stop = async () => {
    child.kill('SIGTERM');
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    try {
      return await done;
    } finally {
      clearTimeout(kill);
    }
  };
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(async () => {
      const output = await stop();
      reject(new Error(`never printed ${pattern}\nstdout:\n${output.stdout}\nstderr:\n${output.stderr}`));
    }, options.timeoutMs);
    child.stdout?.on('data', (chunk: Buffer | string) => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve({ match, stop });
      }
    });
    done.then(
      (output) => {
        clearTimeout(timer);
        reject(new Error(`exited (${output.code}) before printing ${pattern}\n${output.stdout}\n${output.stderr}`));
      },
      () => {},
    );
  });
}
