import type { ArtifactVersionSource } from '../sync/artifactSync.js';
import type { DocumentSource, RunSource } from '../sync/runSync.js';

/** Where an upload puts a run on the server, and where it came from (noted in the server's run.json). */
export interface UploadTarget {
  project: string;
  /** The run id the bytes are sent to (a replace sends to its staging run). */
  sendTo: string;
  /** The run id the run ends up with (a replace's target): artifacts name it as their producer. */
  runId: string;
  name: string;
  folder: string;
}

/**
 * A local run folder's sync source, sent under another project, id and name: run.json is rewritten on the way
 * (the server checks it names the path it is sent to) with `uploadedFrom` noting the local run, and the run's
 * artifact versions of its own project go to the folder's project with the new run as their producer. The sync
 * client itself is unchanged: this only maps what it reads.
 */
export function retargetedSource(source: RunSource, target: UploadTarget): RunSource {
  const from = { project: source.project, id: source.runId };
  const documents: DocumentSource[] = source.documents.map((doc) =>
    doc.name !== 'run.json'
      ? doc
      : {
          ...doc,
          read: async () => ({
            ...((await doc.read()) as Record<string, unknown>),
            ...uploadedRecord(from, target),
            project: target.project,
            id: target.sendTo,
          }),
        },
  );
  const artifacts = async () => retargetedArtifacts(await source.artifacts(), from, target);
  return { ...source, project: target.project, runId: target.sendTo, documents, artifacts };
}

/** The run's own artifact versions (of its local project) moved to the target project, the target run as producer. */
export function retargetedArtifacts(
  versions: ArtifactVersionSource[],
  from: { project: string; id: string },
  target: Pick<UploadTarget, 'project' | 'runId'>,
): ArtifactVersionSource[] {
  return versions.map((version) => {
    if (version.project !== from.project) return version;
    const producer = version.body.producer as { project?: string; runId?: string } | null;
    const ours = producer?.project === from.project && producer?.runId === from.id;
    return {
      ...version,
      project: target.project,
      body: { ...version.body, producer: ours ? { project: target.project, runId: target.runId } : producer },
    };
  });
}

/** The run.json fields of the server's copy besides its project and id. */
export function uploadedRecord(from: { project: string; id: string }, target: UploadTarget): Record<string, unknown> {
  return { name: target.name, uploadedFrom: { ...from, folder: target.folder } };
}
