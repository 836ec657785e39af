import type { WriteStream } from 'node:fs';
import type { ManifestEntry } from './manifest.js';

/** An entry of an artifact that is not logged yet: where its bytes will come from. */
export type DraftEntry =
  | { kind: 'file'; source: string }
  | { kind: 'stream'; source: string; stream: WriteStream }
  | { kind: 'reference'; entry: ManifestEntry };
