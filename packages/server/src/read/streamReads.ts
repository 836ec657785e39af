import { resolveKeyPath } from '@runlog/core';
import type { Database } from '../db/database.js';
import type { StreamName } from '../ingest/streamBatch.js';

/** How a stream is read (the seam's StreamReadOptions). */
export interface StreamRead {
  offset?: number;
  last?: number;
  minStep?: number;
  maxBytes?: number;
  keys?: string[];
}

const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;
const NEWLINE = 0x0a;

async function streamSize(db: Database, runPk: number, stream: StreamName): Promise<number> {
  const { rows } = await db.query<{ hwm: string }>('SELECT hwm FROM run_streams WHERE run_pk = $1 AND stream = $2', [
    runPk,
    stream,
  ]);
  return rows[0] ? Number(rows[0].hwm) : 0;
}

export { streamSize };

interface Line {
  offset: number;
  text: string;
}

/** The lines to return for a row stream, by offset, last lines or (history) first step; at most `limit`. */
async function selectLines(
  db: Database,
  runPk: number,
  stream: StreamName,
  read: StreamRead,
  limit: number,
): Promise<Line[]> {
  const history = stream === 'history';
  const table = history ? 'history_rows' : 'stream_lines';
  const text = history ? 'row::text' : 'line::text';
  const own = history ? 'run_pk = $1' : `run_pk = $1 AND stream = '${stream}'`;
  const order = history ? 'step' : 'byte_offset';
  let rows: { o: string; t: string }[];
  if (read.last !== undefined) {
    rows = (
      await db.query<{ o: string; t: string }>(
        `SELECT byte_offset AS o, ${text} AS t FROM ${table} WHERE ${own} ORDER BY ${order} DESC LIMIT $2`,
        [runPk, read.last],
      )
    ).rows;
    rows.reverse();
  } else if (history && read.minStep !== undefined) {
    rows = (
      await db.query<{ o: string; t: string }>(
        `SELECT byte_offset AS o, ${text} AS t FROM ${table} WHERE ${own} AND step >= $2 ORDER BY step LIMIT $3`,
        [runPk, Math.ceil(read.minStep), limit],
      )
    ).rows;
  } else if (history) {
    // Byte offsets rise with steps: the block holding the offset gives the first step to look from.
    rows = (
      await db.query<{ o: string; t: string }>(
        `SELECT byte_offset AS o, ${text} AS t FROM history_rows
         WHERE run_pk = $1 AND byte_offset >= $2
           AND step >= coalesce((SELECT first_step FROM history_blocks WHERE run_pk = $1 AND end_offset > $2 ORDER BY block LIMIT 1), 0)
         ORDER BY step LIMIT $3`,
        [runPk, read.offset ?? 0, limit],
      )
    ).rows;
  } else {
    rows = (
      await db.query<{ o: string; t: string }>(
        `SELECT byte_offset AS o, ${text} AS t FROM ${table} WHERE ${own} AND byte_offset >= $2 ORDER BY byte_offset LIMIT $3`,
        [runPk, read.offset ?? 0, limit],
      )
    ).rows;
  }
  return rows.map((r) => ({ offset: Number(r.o), text: r.t }));
}

function project(
  row: Record<string, unknown>,
  keys: string[],
  stream: StreamName,
): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const value = resolveKeyPath(row, key);
    if (value === undefined) return undefined;
    out[key] = value;
  }
  const always = stream === 'history' ? ['_step'] : ['_runtime', '_timestamp'];
  for (const key of always) if (row[key] !== undefined) out[key] = row[key];
  return out;
}

/**
 * A chunk of a row stream: rows as stored (value-codec encoded, as in the client's file), where it starts, where
 * to read on (`nextOffset`: the next row's offset, or the stream's size once caught up) and the stream's size.
 */
export async function readRowStream(db: Database, runPk: number, stream: StreamName, read: StreamRead) {
  const size = await streamSize(db, runPk, stream);
  // A negative offset counts back from the end; the first row at or after it is the next line start.
  if (read.offset !== undefined && read.offset < 0) read = { ...read, offset: Math.max(0, size + read.offset) };
  const maxBytes = read.maxBytes ?? DEFAULT_MAX_BYTES;
  const limit = Math.max(1, Math.min(100_000, Math.ceil(maxBytes / 32)));
  const lines = await selectLines(db, runPk, stream, read, limit + 1);
  const rows: Record<string, unknown>[] = [];
  const keysSeen = new Set<string>();
  let bytes = 0;
  let taken = 0;
  for (const line of lines) {
    if (taken >= limit || (taken > 0 && bytes + line.text.length > maxBytes)) break;
    bytes += line.text.length + 1;
    taken++;
    const row = JSON.parse(line.text) as Record<string, unknown>;
    if (!read.keys) {
      rows.push(row);
      continue;
    }
    for (const key of read.keys) if (resolveKeyPath(row, key) !== undefined) keysSeen.add(key);
    const picked = project(row, read.keys, stream);
    if (picked) rows.push(picked);
  }
  const offset = lines[0]?.offset ?? Math.min(read.offset ?? size, size);
  const nextOffset = taken < lines.length ? lines[taken].offset : size;
  return { rows, offset, nextOffset, size, skipped: 0, ...(read.keys ? { keysSeen: [...keysSeen] } : {}) };
}

/** A chunk of the console text from a byte offset, ending at a line end unless the stream ends without one. */
export async function readOutput(db: Database, runPk: number, read: StreamRead) {
  const size = await streamSize(db, runPk, 'output');
  const maxBytes = read.maxBytes ?? DEFAULT_MAX_BYTES;
  let from = read.offset ?? 0;
  if (from < 0) from = Math.max(0, size + from);
  const { rows } = await db.query<{ o: string; d: Buffer }>(
    `SELECT byte_offset AS o, data AS d FROM run_output WHERE run_pk = $1
       AND byte_offset >= coalesce((SELECT max(byte_offset) FROM run_output WHERE run_pk = $1 AND byte_offset <= $2), 0)
       AND byte_offset < $2 + $3 ORDER BY byte_offset`,
    [runPk, from, maxBytes],
  );
  const joined = rows.length ? Buffer.concat(rows.map((r) => r.d)) : Buffer.alloc(0);
  const start = rows.length ? Number(rows[0].o) : from;
  let piece = joined.subarray(Math.max(0, from - start), Math.max(0, from - start) + maxBytes);
  const reachesEnd = from + piece.length >= size;
  const lastNewline = piece.lastIndexOf(NEWLINE);
  if (!reachesEnd || lastNewline >= 0) piece = piece.subarray(0, lastNewline + 1);
  return { text: piece.toString('utf8'), offset: from, nextOffset: from + piece.length, size };
}
