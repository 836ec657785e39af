// Browser-safe: no `node:` imports.
import { type ArtifactReport, type ArtifactVersionSource, syncArtifactVersions } from './artifactSync.js';
import { type BlobReport, type BlobSource, syncBlobs } from './blobSync.js';
import { type BatchOptions, type RunRef, type StreamReport, type StreamSource, syncStream } from './streamSync.js';
import { refused, type SyncTransport } from './syncTransport.js';

/** A whole-file document of a run (run.json, summary.json, metrics.json) and its version number. */
export interface DocumentSource {
  name: 'run.json' | 'summary.json' | 'metrics.json';
  /** Grows with each newer version of the file (its mtime in ms). */
  seq: number;
  read(): Promise<unknown>;
}

/** A file of the run folder kept as a blob (media, saved files). */
export interface RunFileSource extends BlobSource {
  path: string;
}

/** What the sync of a run reads from the client's store. */
export interface RunSource extends RunRef {
  /** The run's files are complete (finished, failed, crashed, killed): torn last lines are sent too. */
  final: boolean;
  documents: DocumentSource[];
  streams: StreamSource[];
  /** The run's blob files; `known` is what the server has recorded (path -> sha256), to skip hashing. */
  files(known: Record<string, string>): Promise<RunFileSource[]>;
  artifacts(): Promise<ArtifactVersionSource[]>;
}

/** What the server answers to GET .../sync. */
export interface ServerRunState {
  streams: Record<string, { hwm: number; rows: number }>;
  documents: Record<string, { seq: number }>;
  files: Record<string, string>;
}

export interface RunSyncReport extends RunRef {
  documents: string[];
  streams: StreamReport[];
  files: { recorded: number; blobs: BlobReport };
  artifacts: ArtifactReport;
  /** Requests retried while syncing this run (429, 5xx, network, fail-over). */
  retries: number;
}

export interface RunSyncOptions extends BatchOptions {
  blobConcurrency?: number;
  /** Blobs up to this size go through the server in one PUT, larger ones by upload (default 64 MiB). */
  blobDirectLimit?: number;
  /** Told the bytes sent so far for this run (streams + blobs). */
  onBytes?: (sent: number) => void;
}

/**
 * Copies one run to the server as docs/PROTOCOL.md describes, resuming from what the server says it has: the
 * documents newer than its copies, each stream from its high-water mark, the files it lacks (by digest; blobs it
 * already has are not sent), then the artifact versions the run logged or used. Running it again sends nothing.
 */
export async function syncRun(
  transport: SyncTransport,
  source: RunSource,
  options: RunSyncOptions = {},
): Promise<RunSyncReport> {
  const retriesBefore = transport.retries;
  const base = `/api/v1/projects/${source.project}/runs/${source.runId}`;
  const stateAnswer = await transport.json('GET', `${base}/sync`);
  if (stateAnswer.status !== 200)
    throw refused(`${source.project}/${source.runId}: reading the server's state`, stateAnswer);
  const state = stateAnswer.body as unknown as ServerRunState;
  const report: RunSyncReport = {
    project: source.project,
    runId: source.runId,
    documents: [],
    streams: [],
    files: { recorded: 0, blobs: { uploaded: 0, sentBytes: 0, present: 0 } },
    artifacts: { versions: 0, created: 0, blobs: { uploaded: 0, sentBytes: 0, present: 0 } },
    retries: 0,
  };
  let sent = 0;
  const progress = (bytes: number) => {
    sent += bytes;
    options.onBytes?.(sent);
  };

  const putDocuments = async (names: DocumentSource['name'][]) => {
    for (const doc of source.documents.filter((d) => names.includes(d.name))) {
      if (doc.seq <= (state.documents[doc.name]?.seq ?? -1)) continue;
      const answer = await transport.json('PUT', `${base}/documents/${doc.name}?seq=${doc.seq}`, await doc.read());
      if (answer.status !== 200) throw refused(`${source.project}/${source.runId} ${doc.name}`, answer);
      if (answer.body.applied === true) report.documents.push(doc.name);
    }
  };
  // run.json first: the server's run lists know the run from its first batch on.
  await putDocuments(['run.json']);
  for (const stream of source.streams) {
    let acknowledged = state.streams[stream.name]?.hwm ?? 0;
    const streamReport = await syncStream(transport, source, stream, acknowledged, source.final, {
      ...options,
      onProgress: (hwm) => {
        progress(Math.max(0, hwm - acknowledged));
        acknowledged = hwm;
        options.onProgress?.(hwm);
      },
    });
    if (streamReport.batches > 0) report.streams.push(streamReport);
  }

  const files = (await source.files(state.files)).filter((f) => state.files[f.path] !== f.sha256);
  if (files.length > 0) {
    report.files.blobs = await syncBlobs(transport, files, {
      concurrency: options.blobConcurrency,
      directLimit: options.blobDirectLimit,
      onProgress: trackDelta(progress),
    });
    for (let i = 0; i < files.length; i += 10_000) {
      const list = files.slice(i, i + 10_000).map(({ path, sha256, size }) => ({ path, sha256, size }));
      const answer = await transport.json('PUT', `${base}/files`, { files: list });
      if (answer.status !== 200) throw refused(`${source.project}/${source.runId}: recording files`, answer);
    }
    report.files.recorded = files.length;
  }

  report.artifacts = await syncArtifactVersions(transport, await source.artifacts(), {
    concurrency: options.blobConcurrency,
    directLimit: options.blobDirectLimit,
    onProgress: trackDelta(progress),
  });
  // The summary and metrics last: a reader that sees them sees the history they summarise.
  await putDocuments(['summary.json', 'metrics.json']);
  report.retries = transport.retries - retriesBefore;
  return report;
}

/** Turns a running total into increments. */
function trackDelta(add: (bytes: number) => void): (total: number) => void {
  let last = 0;
  return (total) => {
    add(total - last);
    last = total;
  };
}
