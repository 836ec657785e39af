import {
  type ArtifactVersionSource,
  type DocumentSource,
  type RunFileSource,
  type RunSource,
  type StreamSource,
  SYNC_STREAMS,
  type SyncStreamName,
} from '@runlog/core/browser';
import type { BrowserStore } from './browserStore.js';
import type { RunRecord } from './runRecord.js';

/** States in which a run may still write (its files are not complete). */
export const LIVE_STATES = new Set(['pending', 'running']);

/**
 * A run of the page's storage as a source for core's protocol client (`syncRun`), as runFolderSource is for a
 * folder: the streams up to what is stored now, the documents, the files and the checkpoints, read from IndexedDB.
 */
export function storeRunSource(store: BrowserStore, record: RunRecord): RunSource {
  const { key } = record;
  const streams: StreamSource[] = [];
  for (const name of Object.keys(SYNC_STREAMS) as SyncStreamName[]) {
    const size = record.streams[name] ?? 0;
    if (size > 0) streams.push({ name, size, read: (offset, length) => store.readStream(key, name, offset, length) });
  }
  const documents: DocumentSource[] = Object.entries(record.documents).map(([name, seq]) => ({
    name: name as DocumentSource['name'],
    seq,
    read: async () => (await store.readDocument(key, name))?.value,
  }));
  const blob = (sha256: string, size: number) => ({
    sha256,
    size,
    read: async (start: number, end: number) => {
      const bytes = await store.readBlob(sha256);
      if (!bytes) throw new Error(`blob ${sha256} is missing from the page's storage`);
      return bytes.subarray(start, end);
    },
  });
  return {
    project: record.project,
    runId: record.id,
    final: !LIVE_STATES.has(record.state),
    documents,
    streams,
    files: async () =>
      Object.entries(record.files).map(([path, file]): RunFileSource => ({ path, ...blob(file.sha256, file.size) })),
    artifacts: async () =>
      record.artifacts.map(
        (version): ArtifactVersionSource => ({
          project: record.project,
          name: version.name,
          localVersion: version.localVersion,
          body: version.body,
          blobs: Object.values(version.body.manifest.entries).map((entry) => blob(entry.digest, entry.size)),
        }),
      ),
  };
}
