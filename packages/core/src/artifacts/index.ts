export type { ArtifactFile, ArtifactOptions } from './artifact.js';
export { Artifact } from './artifact.js';
export type { IntegrityProblem } from './artifactErrors.js';
export {
  ArtifactInvalidError,
  ArtifactNotFoundError,
  ArtifactTypeMismatchError,
  IntegrityError,
} from './artifactErrors.js';
export type { ArtifactRef, ArtifactSelector } from './artifactNames.js';
export { parseArtifactRef, validateArtifactName } from './artifactNames.js';
export type { CommitResult } from './artifactStore.js';
export { ArtifactStore } from './artifactStore.js';
export type { PathFilter } from './codeFiles.js';
export type { GarbageOptions, GarbageResult } from './collectGarbage.js';
export { collectGarbage } from './collectGarbage.js';
export type { FilePolicy } from './draftEntry.js';
export type { DownloadOptions } from './entryFiles.js';
export type { ArtifactManifest, ManifestEntry } from './manifest.js';
export { computeManifestDigest } from './manifest.js';
export type {
  DistributedOptions,
  LogArtifactOptions,
  LogCodeOptions,
  RunArtifactsHost,
  UseArtifactOptions,
} from './runArtifacts.js';
export { RunArtifacts } from './runArtifacts.js';
export type { RunArtifactRecord } from './runLineage.js';
export { readRunArtifacts } from './runLineage.js';
export { listCollections, listConsumers, listVersions, resolveArtifact } from './storeQueries.js';
export type {
  CollectionInfo,
  CollectionRecord,
  ConsumerRecord,
  RunPointer,
  VersionInfo,
  VersionRecord,
} from './versionRecord.js';
