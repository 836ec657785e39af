import { Artifact } from '../artifacts/artifact.js';
import { ArtifactInvalidError } from '../artifacts/artifactErrors.js';
import { normalizeAliases } from '../artifacts/artifactNames.js';
import { ArtifactStore } from '../artifacts/artifactStore.js';
import { appendRunArtifact } from '../artifacts/runLineage.js';
import { resolveArtifact } from '../artifacts/storeQueries.js';
import { RunlogError, StorageError } from '../errors/runlogError.js';
import type { ArtifactUse } from './artifactUse.js';

/** A stored run an artifact is recorded against from outside its process (wandb's public-API Run). */
export interface LineageRun {
  storeDir: string;
  project: string;
  id: string;
  dir: string;
}

/**
 * wandb's public `Run.log_artifact`: logs a draft (or re-records a logged version) as an output of a stored
 * run, with the run as producer and a line in its artifacts.jsonl, as the run itself would.
 */
export async function logArtifactFor(
  run: LineageRun,
  artifact: Artifact,
  options: { aliases?: string[]; tags?: string[] } = {},
): Promise<Artifact> {
  if (!(artifact instanceof Artifact)) throw new ArtifactInvalidError('logArtifact expects an Artifact');
  const store = new ArtifactStore(run.storeDir);
  const producer = { project: run.project, runId: run.id };
  await artifact.wait();
  if (artifact.isLogged) {
    const aliases = normalizeAliases(options.aliases);
    if (aliases.length)
      artifact.aliases = await store.addAliases(artifact.project!, artifact.name, artifact.versionIndex!, aliases);
  } else await store.logArtifact(artifact, { project: run.project, ...options, producer });
  await appendRunArtifact(run.dir, {
    direction: 'logged',
    artifact: artifact.qualifiedName!,
    type: artifact.type,
    digest: artifact.digest ?? null,
    _timestamp: Date.now() / 1000,
  });
  return artifact;
}

/** wandb's public `Run.use_artifact`: records a version (a logged Artifact or a name) as an input of the run. */
export async function useArtifactFor(
  run: LineageRun,
  nameOrArtifact: string | Artifact,
  options: { useAs?: string } = {},
): Promise<Artifact> {
  const store = new ArtifactStore(run.storeDir);
  const artifact =
    typeof nameOrArtifact === 'string' ? await store.resolve(nameOrArtifact, run.project) : nameOrArtifact;
  if (!(artifact instanceof Artifact) || !artifact.isLogged)
    throw new ArtifactInvalidError('useArtifact on a stored run takes a logged version (or its name)');
  const record = await store.readVersionRecord(artifact.project!, artifact.name, artifact.versionIndex!);
  if (!record) throw new StorageError(`${artifact.qualifiedName} disappeared from the store`);
  const useAs = options.useAs === undefined ? null : String(options.useAs);
  await store.addConsumer(record, { project: run.project, runId: run.id }, useAs);
  await appendRunArtifact(run.dir, {
    direction: 'used',
    artifact: artifact.qualifiedName!,
    type: artifact.type,
    digest: artifact.digest ?? null,
    _timestamp: Date.now() / 1000,
    ...(useAs === null ? {} : { useAs }),
  });
  return artifact;
}

/** The versions behind a run's artifact records, read-only; unfinished distributed parts and deleted versions left out. */
export async function resolveArtifactUses(storeDir: string, uses: ArtifactUse[]): Promise<Artifact[]> {
  const artifacts: Artifact[] = [];
  for (const use of uses) {
    if (!/:v\d+$/.test(use.artifact)) continue; // an unfinished distributed part
    const artifact = await resolveArtifact(storeDir, use.artifact).catch((error: unknown) => {
      if (error instanceof RunlogError && error.code === 'ARTIFACT_NOT_FOUND') return undefined;
      throw error;
    });
    if (artifact) artifacts.push(artifact);
  }
  return artifacts;
}
