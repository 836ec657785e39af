import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import type { HistoryScan } from './historyScan.js';

const TAB = 0x09;
const NEWLINE = 0x0a;
const RETURN = 0x0d;
const BACKSLASH = 0x5c;
/** Room for one row's `run_pk \t step \t byte_offset \t` and its `\n` (three safe integers with signs). */
const PREFIX_BYTES = 3 * 17 + 4;

/**
 * Stores a batch's history rows with one `COPY history_rows FROM STDIN` (PostgreSQL's fastest way in): the rows'
 * bytes go from the request body to the connection without becoming strings again. The caller has made sure no
 * row can conflict (the steps increase and are past the run's last stored step): COPY has no ON CONFLICT.
 */
export async function copyHistoryRows(
  client: pg.PoolClient,
  runPk: number,
  at: number,
  bytes: Buffer,
  scan: HistoryScan,
): Promise<void> {
  const data = copyText(runPk, at, bytes, scan);
  await pipeline(
    Readable.from([data]),
    client.query(copyStreams.from('COPY history_rows (run_pk, step, byte_offset, row) FROM STDIN')),
  );
}

/** The rows in COPY's text format: `run_pk \t step \t byte_offset \t json \n`, the json escaped as COPY needs. */
export function copyText(runPk: number, at: number, bytes: Buffer, scan: HistoryScan): Buffer {
  const escaped = new Map<number, Buffer>();
  const plain = !hasCopySpecial(bytes, 0, bytes.length);
  let size = 0;
  for (let i = 0; i < scan.count; i++) {
    if (plain && !scan.rewritten.has(i)) {
      size += scan.ends[i] - scan.starts[i];
      continue;
    }
    const row = scan.rewritten.has(i)
      ? Buffer.from(scan.rewritten.get(i) as string)
      : bytes.subarray(scan.starts[i], scan.ends[i]);
    const text = hasCopySpecial(row, 0, row.length) ? escapeCopy(row) : row;
    escaped.set(i, text);
    size += text.length;
  }
  const out = Buffer.allocUnsafe(size + scan.count * PREFIX_BYTES);
  let pos = 0;
  for (let i = 0; i < scan.count; i++) {
    pos = writeInteger(out, pos, runPk);
    out[pos++] = TAB;
    pos = writeInteger(out, pos, scan.steps[i]);
    out[pos++] = TAB;
    pos = writeInteger(out, pos, at + scan.starts[i]);
    out[pos++] = TAB;
    const row = escaped.get(i);
    pos += row ? row.copy(out, pos) : bytes.copy(out, pos, scan.starts[i], scan.ends[i]);
    out[pos++] = NEWLINE;
  }
  return out.subarray(0, pos);
}

/** Bytes COPY's text format gives a meaning to inside a field (a raw `\n` cannot be inside a JSON line). */
function hasCopySpecial(bytes: Buffer, start: number, end: number): boolean {
  const hit = (byte: number) => {
    const i = bytes.indexOf(byte, start);
    return i !== -1 && i < end;
  };
  return hit(BACKSLASH) || hit(TAB) || hit(RETURN);
}

function escapeCopy(row: Buffer): Buffer {
  const out = Buffer.allocUnsafe(row.length * 2);
  let pos = 0;
  for (const byte of row) {
    if (byte === BACKSLASH || byte === TAB || byte === RETURN) {
      out[pos++] = BACKSLASH;
      out[pos++] = byte === BACKSLASH ? BACKSLASH : byte === TAB ? 0x74 : 0x72;
    } else out[pos++] = byte;
  }
  return out.subarray(0, pos);
}

/** Writes a safe integer's decimal digits at `pos`; returns the position after them. */
export function writeInteger(out: Buffer, pos: number, value: number): number {
  let n = value;
  if (n < 0) {
    out[pos++] = 0x2d;
    n = -n;
  }
  let digits = 1;
  for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  for (let i = pos + digits - 1; i >= pos; i--) {
    out[i] = 0x30 + (n % 10);
    n = Math.floor(n / 10);
  }
  return pos + digits;
}
