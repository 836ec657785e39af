import type { SyncStreamName } from '@runlog/core/browser';

/** A run as the page's storage keeps it: the sizes of its streams, its documents' versions, its files. */
export interface RunRecord {
  /** `<project>/<id>`. */
  key: string;
  project: string;
  id: string;
  state: string;
  createdAt: string;
  /** Bytes stored of each stream (history.jsonl, ...): the file's length in the local store's layout. */
  streams: Partial<Record<SyncStreamName, number>>;
  /** The version number of each document stored (run.json, summary.json, metrics.json). */
  documents: Record<string, number>;
  /** Media and saved files of the run folder, by path. */
  files: Record<string, { sha256: string; size: number }>;
  /** Artifact versions the run logged (checkpoints), as the protocol posts them. */
  artifacts: ArtifactVersionRecord[];
}

export interface ArtifactVersionRecord {
  name: string;
  localVersion: number;
  /** The body of POST .../artifacts/<name>/versions. */
  body: Record<string, unknown> & { manifest: { entries: Record<string, ManifestEntry> } };
}

export interface ManifestEntry {
  digest: string;
  size: number;
  ref: null;
}

/** What the server acknowledged of a run, kept so that the next page load knows what is left to upload. */
export interface AckRecord {
  key: string;
  streams: Partial<Record<SyncStreamName, number>>;
  documents: Record<string, number>;
  files: number;
  artifacts: number;
  /** Everything of a run that ended is on the server. */
  complete: boolean;
  at: string;
}

export function runKey(project: string, id: string): string {
  return `${project}/${id}`;
}
