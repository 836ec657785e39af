// `runlog server` on PGlite (its default) in a child process, with a write token: the server an online-mode
// bench streams to. Its CPU is another process's, as a team server's is another machine's.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../packages/server/test/support/postgresCluster.js';

const bin = join(import.meta.dirname, '..', '..', 'packages', 'cli', 'dist', 'bin.js');

/** Runs the built `runlog` CLI (or another build's `cli`) and resolves to its stdout. */
export function runlogCli(args: string[], cli = bin): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`runlog ${args[0]} exited ${code}`))));
  });
}

export interface ServerChild {
  url: string;
  token: string;
  stop(): Promise<void>;
}

/**
 * Starts `runlog server --data <data>` (PGlite) and makes a write token for `project` first. `nice` (1-19) runs it
 * at a lower priority: on one shared machine, closer to a server on a machine of its own.
 */
export async function startPgliteServer(data: string, project: string, nice?: number): Promise<ServerChild> {
  const created = await runlogCli([
    'server',
    'token',
    'create',
    '--data',
    data,
    '--project',
    project,
    '--role',
    'write',
  ]);
  const token = created.trim().split('\n').at(-1) ?? '';
  const port = await freePort();
  const command = [process.execPath, bin, 'server', '--port', String(port), '--data', data];
  if (nice) command.unshift('nice', '-n', String(nice));
  const child: ChildProcess = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) =>
    child.stdout?.on('data', (d) => String(d).includes('runlog server at') && resolve()),
  );
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGINT');
      }),
  };
}
