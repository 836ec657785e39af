// The Node half of sync: run folders and artifact versions of a local store as sync sources.
export { artifactVersionSources, projectVersionSources } from './artifactSources.js';
export { fileBlob, readRange } from './fileRanges.js';
export { runFolderSource } from './runFolderSource.js';
export { type SyncStoreOptions, type SyncStoreReport, syncStore } from './syncStore.js';
