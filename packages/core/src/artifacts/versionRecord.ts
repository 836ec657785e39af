import type { JsonObject } from '../values/jsonTypes.js';

/** The run that logged a version (or contributed to a distributed one). */
export interface RunPointer {
  project: string;
  runId: string;
}

/** `<project>/artifacts/<name>/collection.json`. */
export interface CollectionRecord {
  name: string;
  project: string;
  type: string;
  description: string;
  createdAt: string;
  /** The highest version number ever given (null before the first): numbers are never reused. */
  lastVersion: number | null;
}

/** `<project>/artifacts/<name>/versions/v<N>/version.json`. */
export interface VersionRecord {
  formatVersion: 1;
  project: string;
  name: string;
  version: number;
  digest: string;
  type: string;
  description: string;
  metadata: JsonObject;
  tags: string[];
  createdAt: string;
  /** Sum of the sizes of the entries that have one. */
  size: number;
  fileCount: number;
  /** The run that logged this version; null when it was created outside a run. */
  producer: RunPointer | null;
  /** Every run that contributed with upsertArtifact (distributed versions only). */
  contributors?: RunPointer[];
  /** For a version in a registry (linkArtifact / linkModel): the version it links to, `project/name:vN`. */
  linkedFrom?: string;
}

/** One line of `versions/v<N>/consumers.jsonl`: a run that used the version. */
export interface ConsumerRecord extends RunPointer {
  useAs: string | null;
  _timestamp: number;
}

/** A collection as listed by listCollections. */
export interface CollectionInfo extends CollectionRecord {
  versionCount: number;
  /** alias -> version number */
  aliases: Record<string, number>;
}

/** A version as listed by listVersions: its record and the aliases that point at it. */
export interface VersionInfo extends VersionRecord {
  aliases: string[];
}
