import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { expect } from 'vitest';
import type { TestClient } from './httpClient.js';
import { sendStream } from './streamSender.js';

const STREAM_FILES = {
  history: 'history.jsonl',
  system: 'system.jsonl',
  alerts: 'alerts.jsonl',
  artifacts: 'artifacts.jsonl',
  output: 'output.log',
} as const;

function walk(root: string, folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    return entry.isDirectory() ? walk(root, path) : [relative(root, path).split(sep).join('/')];
  });
}

/**
 * Copies one run folder of a local store to the server with the protocol, as `runlog sync` will: documents
 * (seq = mtime), every stream in batches, and media and saved files by digest.
 */
export async function uploadRun(
  client: TestClient,
  runDir: string,
  path: string,
  batchBytes = 64 * 1024,
): Promise<void> {
  for (const name of ['run.json', 'summary.json', 'metrics.json']) {
    const file = join(runDir, name);
    if (!existsSync(file)) continue;
    const answer = await client.document(path, name, statSync(file).mtimeMs, JSON.parse(readFileSync(file, 'utf8')));
    expect(answer.status).toBe(200);
  }
  for (const [stream, name] of Object.entries(STREAM_FILES)) {
    const file = join(runDir, name);
    if (existsSync(file))
      await sendStream(() => client, path, stream, readFileSync(file, 'latin1'), batchBytes, { binary: true });
  }
  const files = [...walk(runDir, join(runDir, 'files')), ...walk(runDir, join(runDir, 'media'))].map((name) => {
    const bytes = readFileSync(join(runDir, name));
    return { path: name, bytes, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
  });
  for (const file of files) {
    const put = await client.request('PUT', `/api/v1/blobs/${file.sha256}`, file.bytes, {
      'content-type': 'application/octet-stream',
    });
    expect(put.status).toBe(200);
  }
  const [project, id] = path.split('/');
  const recorded = await client.json('PUT', `/api/v1/projects/${project}/runs/${id}/files`, {
    files: files.map(({ path: name, sha256, size }) => ({ path: name, sha256, size })),
  });
  expect(recorded.status).toBe(200);
}
