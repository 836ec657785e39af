import type { JsonObject } from '@runlog/core/browser';
import type { ArtifactVersionRecord, ManifestEntry } from './runRecord.js';
import { sha256Hex } from './sha256.js';

export interface VersionFile {
  path: string;
  bytes: Uint8Array;
}

export interface NewVersion {
  record: ArtifactVersionRecord;
  blobs: Array<{ sha256: string; bytes: Uint8Array }>;
  /** The run's artifacts.jsonl line for it (lineage, docs/FORMAT.md). */
  lineage: string;
}

/**
 * An artifact version made in the page (a checkpoint): its manifest of stored files, its digest as docs/FORMAT.md
 * defines it (the server computes the same one and numbers versions itself), the blobs, and the lineage line.
 */
export async function newVersion(options: {
  project: string;
  runId: string;
  name: string;
  type: string;
  localVersion: number;
  files: VersionFile[];
  metadata: JsonObject;
  aliases: string[];
}): Promise<NewVersion> {
  const entries: Record<string, ManifestEntry> = {};
  const blobs: NewVersion['blobs'] = [];
  const sorted = [...options.files].sort((a, b) => compareUtf8(a.path, b.path));
  let canonical = '';
  for (const file of sorted) {
    const digest = await sha256Hex(file.bytes);
    entries[file.path] = { digest, size: file.bytes.length, ref: null };
    blobs.push({ sha256: digest, bytes: file.bytes });
    canonical += `${file.path}\0${digest}\0${file.bytes.length}\0\n`;
  }
  const digest = await sha256Hex(new TextEncoder().encode(canonical));
  const createdAt = new Date().toISOString();
  const record: ArtifactVersionRecord = {
    name: options.name,
    localVersion: options.localVersion,
    body: {
      type: options.type,
      description: '',
      metadata: options.metadata,
      tags: [],
      aliases: options.aliases.filter((alias) => alias !== 'latest'),
      manifest: { entries },
      producer: { project: options.project, runId: options.runId },
      createdAt,
    },
  };
  const lineage = `${JSON.stringify({
    direction: 'logged',
    artifact: `${options.project}/${options.name}:v${options.localVersion}`,
    type: options.type,
    digest,
    _timestamp: Date.now() / 1000,
  })}\n`;
  return { record, blobs, lineage };
}

/** Byte order of the UTF-8 encodings (the manifest's order). */
function compareUtf8(a: string, b: string): number {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}
