import type { Artifact } from './artifact.js';
import { ArtifactStore } from './artifactStore.js';
import type { CollectionInfo, ConsumerRecord, VersionInfo } from './versionRecord.js';

/**
 * Store-level reads for the CLI, the read API and scripts. Each takes the store folder.
 * @example
 * for (const c of await listCollections('./runlog')) console.log(c.project, c.name, c.type, c.versionCount);
 */
export function listCollections(storeDir: string, project?: string): Promise<CollectionInfo[]> {
  return new ArtifactStore(storeDir).listCollections(project);
}

/** Every version of `project/name`, oldest first, each with the aliases that point at it. */
export function listVersions(storeDir: string, project: string, name: string): Promise<VersionInfo[]> {
  return new ArtifactStore(storeDir).listVersions(project, name);
}

/** The version named by `project/name:alias`, `project/name:v3` or `project/name:<digest>`, read-only. */
export function resolveArtifact(storeDir: string, ref: string): Promise<Artifact> {
  return new ArtifactStore(storeDir).resolve(ref);
}

/** The runs that used a version (lineage downstream); `artifact.producer` is the run that logged it. */
export function listConsumers(storeDir: string, ref: string): Promise<ConsumerRecord[]> {
  return new ArtifactStore(storeDir).listConsumers(ref);
}
