import { InvalidValueError } from '../errors/runlogError.js';
import { encodeValue } from './valueEncoder.js';

/**
 * Bytes one history row may take as its JSON line (media files aside: a row holds only their references). A row
 * this big already costs every reader (the dashboard's runs list reads a run's last row and its summary); larger
 * data belongs in a file (`run.save`) or a media value. A bigger row is refused whole with ROW_TOO_LARGE.
 */
export const MAX_ROW_BYTES = 4 << 20;

/** Bytes of JSON one summary value may take (`summary.set`, `summary.update`): more is VALUE_TOO_LARGE. */
export const MAX_SUMMARY_VALUE_BYTES = MAX_ROW_BYTES;

/** Room a pending row keeps below MAX_ROW_BYTES for what its commit adds (its step, defineMetric step keys). */
export const PENDING_ROW_SLACK = 64 << 10;

/** Bytes a number may take in a row, at most (`-1.2345678901234567e-308`). */
export const MAX_NUMBER_BYTES = 24;

export function rowTooLarge(bytes: number, step: number): InvalidValueError {
  return new InvalidValueError(
    `the row at step ${step} would take ${bytes.toLocaleString('en-US')} bytes or more: one row may take at most ${MAX_ROW_BYTES.toLocaleString('en-US')} bytes (4 MiB); nothing of this call was recorded. Save large data as a file (run.save) or a media value.`,
    'ROW_TOO_LARGE',
  );
}

/** The summary's value encoder: history's, plus the bound on one value's size. */
export function encodeSummaryValue(value: unknown, path: string): string | undefined {
  const json = encodeValue(value, path);
  // length counts UTF-16 units: at most 3 UTF-8 bytes each, so only a long text needs measuring.
  if (json !== undefined && json.length * 3 > MAX_SUMMARY_VALUE_BYTES) {
    const bytes = Buffer.byteLength(json);
    if (bytes > MAX_SUMMARY_VALUE_BYTES) {
      throw new InvalidValueError(
        `${path} takes ${bytes.toLocaleString('en-US')} bytes as JSON: a summary value may take at most ${MAX_SUMMARY_VALUE_BYTES.toLocaleString('en-US')} (4 MiB). Save large data as a file (run.save).`,
        'VALUE_TOO_LARGE',
      );
    }
  }
  return json;
}
