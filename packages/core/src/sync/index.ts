// The protocol client of `runlog sync` (docs/PROTOCOL.md), browser-safe: no `node:` imports below this folder's
// `node/` part, so a browser logger reuses it with its own sources.
export { type ArtifactReport, type ArtifactVersionSource, syncArtifactVersions } from './artifactSync.js';
export { type BlobOptions, type BlobReport, type BlobSource, syncBlobs } from './blobSync.js';
export {
  type DocumentSource,
  type RunFileSource,
  type RunSource,
  type RunSyncOptions,
  type RunSyncReport,
  type ServerRunState,
  syncRun,
} from './runSync.js';
export {
  type BatchOptions,
  type RunRef,
  type StreamReport,
  type StreamSource,
  SYNC_STREAMS,
  type SyncStreamName,
  syncStream,
} from './streamSync.js';
export {
  type RetryEvent,
  type RetryOptions,
  type SyncAnswer,
  type SyncRequest,
  SyncTransport,
  type SyncTransportOptions,
} from './syncTransport.js';
