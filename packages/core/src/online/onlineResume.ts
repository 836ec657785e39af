import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { RunlogError } from '../errors/runlogError.js';
import { atomicWriteJsonSync } from '../storage/atomicWrite.js';
import type { ServerRunState } from '../sync/runSync.js';
import { SYNC_STREAMS, type SyncStreamName } from '../sync/streamSync.js';
import { refused, type SyncTransport } from '../sync/syncTransport.js';

const DOCUMENTS = ['run.json', 'summary.json', 'metrics.json'] as const;
const PAGE_BYTES = 4 << 20;
const SPACE = 0x20;
const NEWLINE = 0x0a;

/**
 * Resume on a machine whose store lacks the run: writes the run folder from the server — run.json (config),
 * summary.json and metrics.json (the summary's running state), and every stream with each chunk at the byte offset
 * the server has it at, so the local files are as long as the server's high-water marks and the next batch this
 * machine sends continues them. Rows are written as the server stores them; where the server kept fewer bytes
 * than it acknowledged (damaged lines, repeated steps), the gap is blank space, which readers skip.
 * Resolves false when the server does not have the run.
 */
export async function downloadRun(
  transport: SyncTransport,
  project: string,
  runId: string,
  dir: string,
): Promise<boolean> {
  const base = `/api/v1/projects/${project}/runs/${runId}`;
  const answer = await transport.json('GET', `${base}/sync`);
  if (answer.status !== 200) throw refused(`reading ${project}/${runId} from the server`, answer);
  const state = answer.body as unknown as ServerRunState;
  if (!state.documents['run.json']) return false;
  for (const [name, file] of Object.entries(SYNC_STREAMS) as [SyncStreamName, string][]) {
    const hwm = state.streams[name]?.hwm ?? 0;
    if (hwm > 0) await downloadStream(transport, base, name, hwm, join(dir, file));
  }
  // The documents last: a folder with run.json is a run, and it is only complete once the streams are.
  for (const name of DOCUMENTS.slice().reverse()) {
    if (!state.documents[name]) continue;
    const doc = await transport.json('GET', `${base}/files/${name}`);
    if (doc.status !== 200) throw refused(`reading ${name} of ${project}/${runId}`, doc);
    atomicWriteJsonSync(join(dir, name), name === 'run.json' ? endedElsewhere(doc.body) : doc.body);
  }
  return true;
}

async function downloadStream(
  transport: SyncTransport,
  base: string,
  name: SyncStreamName,
  hwm: number,
  path: string,
): Promise<void> {
  const fd = openSync(path, 'w');
  let written = 0;
  const put = (bytes: Uint8Array) => {
    writeSync(fd, bytes, 0, bytes.length, written);
    written += bytes.length;
  };
  try {
    while (written < hwm) {
      const page = await transport.json('GET', `${base}/streams/${name}?offset=${written}&maxBytes=${PAGE_BYTES}`);
      if (page.status !== 200) throw refused(`reading the ${name} stream`, page);
      const offset = Number(page.body.offset);
      const next = Math.min(hwm, Number(page.body.nextOffset));
      if (!(next > written)) break;
      if (offset > written) put(blank(offset - written));
      const text =
        name === 'output'
          ? String(page.body.text ?? '')
          : (page.body.rows as unknown[]).map((row) => `${JSON.stringify(row)}\n`).join('');
      put(fit(Buffer.from(text), next - Math.max(offset, written), name !== 'output'));
    }
    if (written < hwm) put(blank(hwm - written));
  } finally {
    closeSync(fd);
  }
}

/**
 * run.json of a run whose writer elsewhere never recorded its end: this process holds the run's lease, so that
 * writer is gone (its lease expired): locally the run is `crashed`, which a resume continues.
 */
function endedElsewhere(record: Record<string, unknown>): Record<string, unknown> {
  return record.state === 'running' ? { ...record, state: 'crashed' } : record;
}

/** `length` bytes that readers skip: spaces ending in a newline. */
function blank(length: number): Buffer {
  const bytes = Buffer.alloc(length, SPACE);
  bytes[length - 1] = NEWLINE;
  return bytes;
}

/** The chunk made exactly `span` bytes long: padded with spaces before its last newline (rows parse the same). */
function fit(bytes: Buffer, span: number, lined: boolean): Buffer {
  if (bytes.length === span) return bytes;
  if (bytes.length > span) {
    if (lined) throw new RunlogError('SYNC_REFUSED', 'the server sent more bytes of a stream than it acknowledged');
    return bytes.subarray(0, span);
  }
  const padded = Buffer.alloc(span, SPACE);
  if (!lined || bytes.length === 0) {
    bytes.copy(padded);
    if (lined) padded[span - 1] = NEWLINE;
    return padded;
  }
  bytes.copy(padded, 0, 0, bytes.length - 1); // without its last newline
  padded[span - 1] = NEWLINE;
  return padded;
}
