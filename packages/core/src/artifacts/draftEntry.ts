import type { WriteStream } from 'node:fs';
import type { ManifestEntry } from './manifest.js';

/** An entry of an artifact that is not logged yet: where its bytes will come from. */
export type DraftEntry =
  | { kind: 'file'; source: string; policy: FilePolicy }
  | { kind: 'stream'; source: string; stream: WriteStream }
  | { kind: 'reference'; entry: ManifestEntry };

/**
 * How a local file gets into the object store (wandb's names). 'mutable' (default): copied, so the file may
 * change later. 'immutable': hard-linked when possible (no bytes copied); the file must then never be modified
 * in place (replacing it with a new file is fine), or the stored version changes with it.
 */
export type FilePolicy = 'mutable' | 'immutable';
