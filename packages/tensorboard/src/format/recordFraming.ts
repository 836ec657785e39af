import type { ProtoWriter } from '../proto/protoWriter.js';
import { maskedCrc32c } from './crc32c.js';

/** Bytes before a record's data: uint64 length + masked crc32c of those 8 bytes. */
export const RECORD_HEADER_BYTES = 12;
/** Bytes after a record's data: its masked crc32c. */
export const RECORD_FOOTER_BYTES = 4;

/**
 * Starts a TFRecord in `out`: reserves its header; write the record's data next, then call `endRecord`.
 * Framing in place spares a copy of every record.
 */
export function beginRecord(out: ProtoWriter): number {
  out.ensure(RECORD_HEADER_BYTES);
  out.pos += RECORD_HEADER_BYTES;
  return out.pos;
}

/** Ends the record whose data started at `dataStart`: `uint64 length | masked crc | data | masked crc`. */
export function endRecord(out: ProtoWriter, dataStart: number): void {
  const length = out.pos - dataStart;
  const headerStart = dataStart - RECORD_HEADER_BYTES;
  const bytes = out.bytes;
  bytes[headerStart] = length & 0xff;
  bytes[headerStart + 1] = (length >>> 8) & 0xff;
  bytes[headerStart + 2] = (length >>> 16) & 0xff;
  bytes[headerStart + 3] = (length >>> 24) & 0xff;
  const high = Math.floor(length / 0x100000000);
  bytes[headerStart + 4] = high & 0xff;
  bytes[headerStart + 5] = (high >>> 8) & 0xff;
  bytes[headerStart + 6] = (high >>> 16) & 0xff;
  bytes[headerStart + 7] = (high >>> 24) & 0xff;
  writeUint32LE(bytes, headerStart + 8, maskedCrc32c(bytes, headerStart, headerStart + 8));
  const dataCrc = maskedCrc32c(bytes, dataStart, out.pos);
  out.uint32LE(dataCrc);
}

/** Frames an already-encoded record (the bare framing loop the bench compares with). */
export function writeRecord(out: ProtoWriter, data: Uint8Array): void {
  const start = beginRecord(out);
  out.raw(data);
  endRecord(out, start);
}

function writeUint32LE(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value & 0xff;
  bytes[at + 1] = (value >>> 8) & 0xff;
  bytes[at + 2] = (value >>> 16) & 0xff;
  bytes[at + 3] = (value >>> 24) & 0xff;
}
