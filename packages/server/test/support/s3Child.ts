import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestS3 } from './s3Server.js';

const SCRIPT = fileURLToPath(new URL('./s3Process.ts', import.meta.url));

function spawnS3(port: number, directory: string, bucket: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, JSON.stringify({ port, directory, bucket })], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk) => {
      out += chunk;
      const match = /READY (\d+)/.exec(out);
      if (match) resolve({ child, port: Number(match[1]) });
    });
    child.once('exit', (code) => reject(new Error(`s3rver exited (${code}) before it was ready`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** s3rver (a real S3 REST API) in a child process on a loopback port; `outage` kills it and starts it again. */
export async function startS3Child(bucket = 'runlog'): Promise<TestS3 & { directory: string }> {
  const directory = mkdtempSync(join(tmpdir(), 'runlog-s3c-'));
  let { child, port } = await spawnS3(0, directory, bucket);
  return {
    directory,
    options: {
      endpoint: `http://127.0.0.1:${port}`,
      bucket,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    },
    async outage(downMs) {
      await stopChild(child);
      await new Promise((resolve) => setTimeout(resolve, downMs));
      ({ child } = await spawnS3(port, directory, bucket));
    },
    async stop() {
      await stopChild(child);
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
