// Browser-safe: no `node:` imports.
import { type BlobOptions, type BlobReport, type BlobSource, syncBlobs } from './blobSync.js';
import { refused, type SyncTransport } from './syncTransport.js';

/** An artifact version to put on the server, with the blobs of its stored entries. */
export interface ArtifactVersionSource {
  project: string;
  name: string;
  /** The local version number (for the report; the server numbers versions itself). */
  localVersion: number;
  /** The body of POST .../artifacts/<name>/versions (docs/PROTOCOL.md, "Artifact versions"). */
  body: Record<string, unknown>;
  blobs: BlobSource[];
}

export interface ArtifactReport {
  versions: number;
  /** Versions that were new to the server (the others it had: same content, perhaps from another machine). */
  created: number;
  blobs: BlobReport;
}

/**
 * Puts artifact versions on the server: first the objects it lacks (one question for all of them: an object any
 * machine already sent is not sent again), then each version, which the server dedupes by manifest digest.
 */
export async function syncArtifactVersions(
  transport: SyncTransport,
  versions: ArtifactVersionSource[],
  options: BlobOptions = {},
): Promise<ArtifactReport> {
  const report: ArtifactReport = { versions: 0, created: 0, blobs: { uploaded: 0, sentBytes: 0, present: 0 } };
  if (versions.length === 0) return report;
  report.blobs = await syncBlobs(
    transport,
    versions.flatMap((v) => v.blobs),
    options,
  );
  for (const version of versions) {
    const answer = await transport.json(
      'POST',
      `/api/v1/projects/${version.project}/artifacts/${version.name}/versions`,
      version.body,
    );
    if (answer.status !== 200) {
      throw refused(`artifact ${version.project}/${version.name}:v${version.localVersion}`, answer);
    }
    report.versions++;
    if (answer.body.created === true) report.created++;
  }
  return report;
}
