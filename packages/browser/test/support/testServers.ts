import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';

const CLI = join(import.meta.dirname, '..', '..', '..', 'cli', 'dist', 'bin.js');

/** Bundles the test page (the package's sources + @tensorflow/tfjs) into one ESM file for the browser. */
export async function bundlePage(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

/** A tiny static server for the page: `/` is the HTML, `/page.js` the bundle. */
export async function servePage(script: string): Promise<{ url: string; close(): Promise<void> }> {
  const html =
    '<!doctype html><meta charset="utf-8"><title>runlog browser test</title><script type="module" src="/page.js"></script>';
  const server: Server = createServer((request, response) => {
    if (request.url === '/page.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    } else if (request.url === '/' || request.url?.startsWith('/?')) {
      response.writeHead(200, { 'content-type': 'text/html' }).end(html);
    } else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A write token made offline with the CLI, as an operator would (`runlog server token create`). */
export async function createToken(data: string): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [
    CLI,
    'server',
    'token',
    'create',
    '--role',
    'write',
    '--data',
    data,
  ]);
  return stdout.trim().split('\n').at(-1)!;
}

export interface CliServer {
  url: string;
  kill(): Promise<void>;
}

/** `runlog server` (PGlite in `data`, the dashboard at `/`) in its own process, so it can be SIGKILLed. */
export function startCliServer(data: string, port: number, corsOrigin: string): Promise<CliServer> {
  const child: ChildProcess = spawn(
    process.execPath,
    [CLI, 'server', '--data', data, '--port', String(port), '--cors-origin', corsOrigin],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${err}`)), 90_000);
    child.stderr?.on('data', (chunk) => {
      err += chunk;
    });
    child.stdout?.on('data', (chunk) => {
      out += chunk;
      const match = /runlog server at (\S+)/.exec(out);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        url: match[1],
        kill: () =>
          new Promise((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGKILL');
          }),
      });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before it was ready: ${err}`));
    });
  });
}
