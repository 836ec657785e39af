import { maskedCrc32c } from './crc32c.js';
import { RECORD_FOOTER_BYTES, RECORD_HEADER_BYTES } from './recordFraming.js';

/** What one pass over a buffer of TFRecords found. */
export interface RecordScan {
  /** Offset just after the last whole record read (where the next read starts). */
  end: number;
  /** Whole records read. */
  records: number;
  /** Records whose data crc did not match: skipped (their length was trusted: the header crc matched). */
  badDataCrc: number;
  /** Bytes skipped to find a header again after a header whose crc did not match. */
  skippedBytes: number;
  /** True when the buffer ends inside a record (a writer still at work, or a file cut short). */
  truncated: boolean;
}

/**
 * Reads the TFRecords in `bytes[start, end)`, calling `onRecord(dataStart, dataEnd)` for each whole record whose
 * crcs match. A record whose data crc is wrong is skipped and counted (its header's length is trusted because the
 * header crc matched). A header whose crc is wrong cannot be trusted for a length: the reader moves on byte by
 * byte until a header verifies again. A record cut off by the end of the buffer stops the scan before it.
 */
export function scanRecords(
  bytes: Uint8Array,
  start: number,
  end: number,
  onRecord: (dataStart: number, dataEnd: number) => void,
): RecordScan {
  const scan: RecordScan = { end: start, records: 0, badDataCrc: 0, skippedBytes: 0, truncated: false };
  let pos = start;
  while (pos < end) {
    if (end - pos < RECORD_HEADER_BYTES) {
      scan.truncated = true;
      break;
    }
    const lengthLow = readUint32LE(bytes, pos);
    const lengthHigh = readUint32LE(bytes, pos + 4);
    if (maskedCrc32c(bytes, pos, pos + 8) !== readUint32LE(bytes, pos + 8)) {
      pos++;
      scan.skippedBytes++;
      scan.end = pos;
      continue;
    }
    const length = lengthHigh * 0x100000000 + lengthLow;
    const dataStart = pos + RECORD_HEADER_BYTES;
    const dataEnd = dataStart + length;
    if (dataEnd + RECORD_FOOTER_BYTES > end) {
      scan.truncated = true;
      break;
    }
    if (maskedCrc32c(bytes, dataStart, dataEnd) === readUint32LE(bytes, dataEnd)) {
      onRecord(dataStart, dataEnd);
      scan.records++;
    } else scan.badDataCrc++;
    pos = dataEnd + RECORD_FOOTER_BYTES;
    scan.end = pos;
  }
  return scan;
}

function readUint32LE(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
}
