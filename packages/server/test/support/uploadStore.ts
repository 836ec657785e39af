import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { TestClient } from './httpClient.js';
import { uploadRun } from './uploadRun.js';

const dirs = (folder: string) =>
  existsSync(folder)
    ? readdirSync(folder, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
    : [];

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

/**
 * Copies a whole local store to the server with the protocol (what `runlog sync --all` does): every run of
 * every project, then every artifact version with its objects, oldest first, aliases as the store has them.
 */
export async function uploadStore(client: TestClient, store: string): Promise<void> {
  for (const project of dirs(store).filter((p) => p !== 'objects')) {
    for (const id of dirs(join(store, project, 'runs'))) {
      await uploadRun(client, join(store, project, 'runs', id), `${project}/${id}`, 16 * 1024);
    }
    for (const name of dirs(join(store, project, 'artifacts'))) {
      const collection = join(store, project, 'artifacts', name);
      const aliases = existsSync(join(collection, 'aliases.json')) ? readJson(join(collection, 'aliases.json')) : {};
      const versions = dirs(join(collection, 'versions')).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
      for (const folder of versions) {
        const record = readJson(join(collection, 'versions', folder, 'version.json'));
        const manifest = readJson(join(collection, 'versions', folder, 'manifest.json'));
        for (const entry of Object.values(manifest.entries) as { digest: string | null; ref: string | null }[]) {
          if (entry.ref !== null || !entry.digest) continue;
          const bytes = readFileSync(join(store, 'objects', 'sha256', entry.digest.slice(0, 2), entry.digest.slice(2)));
          const put = await client.request('PUT', `/api/v1/blobs/${entry.digest}`, bytes, {
            'content-type': 'application/octet-stream',
          });
          expect(put.status).toBe(200);
        }
        const version = Number(folder.slice(1));
        const answer = await client.json('POST', `/api/v1/projects/${project}/artifacts/${name}/versions`, {
          ...record,
          aliases: Object.keys(aliases).filter((a) => aliases[a] === version && a !== 'latest'),
          manifest,
        });
        expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      }
    }
  }
}
