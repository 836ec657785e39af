import type pg from 'pg';
import type { Database } from '../db/database.js';
import { ServerError } from '../http/serverError.js';
import { writeHistoryRows } from './historyWriter.js';
import { parseJsonLines } from './jsonLineBatch.js';
import { ensureRun } from './runRows.js';

/** The append-only files of a run folder that the protocol syncs, by stream name (docs/PROTOCOL.md). */
export const STREAMS = ['history', 'system', 'alerts', 'artifacts', 'output'] as const;
export type StreamName = (typeof STREAMS)[number];

export function isStream(value: string): value is StreamName {
  return (STREAMS as readonly string[]).includes(value);
}

export interface StreamBatch {
  project: string;
  runId: string;
  stream: StreamName;
  /** Byte offset of `bytes` in the client's file. */
  offset: number;
  bytes: Buffer;
  /** The client's file is complete: a torn last line is accepted (and, being damaged, stores nothing). */
  final: boolean;
}

export interface BatchResult {
  stream: StreamName;
  hwm: number;
  rows: number;
  /** Bytes of this batch that were new to the server. */
  applied: number;
}

const NEWLINE = 0x0a;

/**
 * Applies one batch in one transaction holding the stream's row lock (docs/PROTOCOL.md, "Streams"): what the
 * server already has is skipped, a gap is refused with the offset the server expects, and the high-water mark
 * moves to the end of the batch. Two replicas given the same batch at once store it once.
 */
export async function applyStreamBatch(db: Database, batch: StreamBatch): Promise<BatchResult> {
  const { stream, offset, bytes } = batch;
  const lined = stream !== 'output';
  if (lined && !batch.final && bytes.length > 0 && bytes[bytes.length - 1] !== NEWLINE) {
    throw new ServerError(400, 'BATCH_TORN', `a ${stream} batch ends with a whole line ('\\n') unless final=1`);
  }
  return db.transaction(async (client) => {
    const runPk = await ensureRun(client, batch.project, batch.runId);
    await client.query('INSERT INTO run_streams (run_pk, stream) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
      runPk,
      stream,
    ]);
    const { rows } = await client.query<{ hwm: string; rows: string }>(
      'SELECT hwm, rows FROM run_streams WHERE run_pk = $1 AND stream = $2 FOR UPDATE',
      [runPk, stream],
    );
    const hwm = Number(rows[0].hwm);
    const rowCount = Number(rows[0].rows);
    if (offset > hwm) {
      throw new ServerError(409, 'OFFSET_GAP', `the server has ${hwm} bytes of ${stream}; send from there`, {
        expected: hwm,
      });
    }
    const end = offset + bytes.length;
    if (end <= hwm) return { stream, hwm, rows: rowCount, applied: 0 };
    const skip = hwm - offset;
    if (lined && skip > 0 && bytes[skip - 1] !== NEWLINE) {
      throw new ServerError(409, 'OFFSET_MISALIGNED', `byte ${hwm} of ${stream} is not the start of a line`, {
        expected: hwm,
      });
    }
    const fresh = bytes.subarray(skip);
    const added = await storeBytes(client, db.kind, runPk, stream, hwm, rowCount, fresh);
    await client.query('UPDATE runs SET received_at = now() WHERE pk = $1', [runPk]);
    await client.query('UPDATE run_streams SET hwm = $3, rows = rows + $4 WHERE run_pk = $1 AND stream = $2', [
      runPk,
      stream,
      end,
      added,
    ]);
    return { stream, hwm: end, rows: rowCount + added, applied: fresh.length };
  });
}

/** Stores the new bytes of a stream (starting at byte `at` of the file); returns the rows added. */
async function storeBytes(
  client: pg.PoolClient,
  kind: Database['kind'],
  runPk: number,
  stream: StreamName,
  at: number,
  rowCount: number,
  bytes: Buffer,
): Promise<number> {
  if (stream === 'output') {
    await client.query(
      'INSERT INTO run_output (run_pk, byte_offset, data) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [runPk, at, bytes],
    );
    return 0;
  }
  if (stream === 'history') return writeHistoryRows(client, kind, runPk, rowCount, at, bytes);
  const lines = parseJsonLines(bytes, at);
  if (lines.length === 0) return 0;
  await client.query(
    `INSERT INTO stream_lines (run_pk, stream, byte_offset, line)
     SELECT $1, $2, t.o, t.l::json FROM unnest($3::bigint[], string_to_array($4, E'\\n')) AS t(o, l)
     ON CONFLICT DO NOTHING`,
    [runPk, stream, lines.map((l) => l.offset), lines.map((l) => l.text).join('\n')],
  );
  return lines.length;
}
