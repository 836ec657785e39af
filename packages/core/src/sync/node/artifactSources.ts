import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactManifest } from '../../artifacts/manifest.js';
import type { VersionRecord } from '../../artifacts/versionRecord.js';
import { readJson } from '../../storage/readJson.js';
import { storePaths } from '../../storage/storePaths.js';
import type { ArtifactVersionSource } from '../artifactSync.js';
import type { BlobSource } from '../blobSync.js';
import { readRange } from './fileRanges.js';

const REF = /^([A-Za-z0-9._-]+)\/([A-Za-z0-9._-]+):v(\d+)$/;

/**
 * The artifact versions a run logged or used (its artifacts.jsonl lineage), read from the local store. A version
 * deleted locally since is skipped: the lineage line still syncs, the server resolves it by digest if it can.
 */
export async function artifactVersionSources(store: string, lineageFile: string): Promise<ArtifactVersionSource[]> {
  const text = await readFile(lineageFile, 'utf8').catch(() => '');
  const refs = new Set<string>();
  for (const line of text.split('\n')) {
    try {
      const record = JSON.parse(line) as { artifact?: unknown; digest?: unknown };
      if (typeof record.artifact === 'string' && typeof record.digest === 'string' && REF.test(record.artifact)) {
        refs.add(record.artifact);
      }
    } catch {
      // a damaged or torn line: readers skip it too
    }
  }
  const out: ArtifactVersionSource[] = [];
  for (const ref of refs) {
    const [, p, name, version] = REF.exec(ref) as RegExpExecArray;
    const source = await versionSource(store, p, name, Number(version));
    if (source) out.push(source);
  }
  return out;
}

/** Every version of every artifact collection of a project (for `runlog sync --all`). */
export async function projectVersionSources(store: string, project: string): Promise<ArtifactVersionSource[]> {
  const root = storePaths.artifacts(store, project);
  const out: ArtifactVersionSource[] = [];
  for (const name of await readdir(root).catch(() => [] as string[])) {
    const versions = await readdir(join(root, name, 'versions')).catch(() => [] as string[]);
    const numbers = versions
      .map((v) => /^v(\d+)$/.exec(v)?.[1])
      .filter((v): v is string => v !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    for (const n of numbers) {
      const source = await versionSource(store, project, name, n);
      if (source) out.push(source);
    }
  }
  return out;
}

async function versionSource(
  store: string,
  project: string,
  name: string,
  version: number,
): Promise<ArtifactVersionSource | undefined> {
  const collection = join(storePaths.artifacts(store, project), name);
  const folder = join(collection, 'versions', `v${version}`);
  const manifest = await readJson<ArtifactManifest>(join(folder, 'manifest.json')).catch(() => undefined);
  const record = await readJson<VersionRecord>(join(folder, 'version.json')).catch(() => undefined);
  if (!manifest || !record) return undefined;
  const aliases =
    (await readJson<Record<string, number>>(join(collection, 'aliases.json')).catch(() => undefined)) ?? {};
  const blobs: BlobSource[] = [];
  for (const entry of Object.values(manifest.entries)) {
    if (entry.ref !== null || entry.digest === null) continue;
    const digest = entry.digest;
    const path = join(storePaths.objects(store), digest.slice(0, 2), digest.slice(2));
    blobs.push({ sha256: digest, size: entry.size ?? 0, read: (start, end) => readRange(path, start, end - start) });
  }
  return {
    project,
    name,
    localVersion: version,
    blobs,
    body: {
      type: record.type,
      description: record.description ?? '',
      metadata: record.metadata ?? {},
      tags: record.tags ?? [],
      aliases: Object.entries(aliases)
        .filter(([alias, v]) => v === version && alias !== 'latest')
        .map(([alias]) => alias),
      manifest: { entries: manifest.entries },
      producer: record.producer ?? null,
      createdAt: record.createdAt,
    },
  };
}
