import { RunlogError } from '@runlog/core';
import { ServerError } from '../http/serverError.js';

/** Status of each seam error the server passes on with the same code (docs/PROTOCOL.md, "Errors"). */
const STATUS = {
  FILTER_INVALID: 400,
  INVALID_ARGUMENT: 400,
  RUN_NOT_FOUND: 404,
  ARTIFACT_NOT_FOUND: 404,
  STATE_TRANSITION: 409,
  RUN_EXISTS: 409,
} as const;

/**
 * A RunlogError from core's rules (filters, orders, edits, state transitions) as the server's answer with the
 * same code, so a remote client throws what a local store would; other values of a bad request are
 * INVALID_ARGUMENT. Anything that is not a RunlogError is passed on unchanged (a 500 with its log line).
 */
export function fromCoreError(error: unknown): unknown {
  if (!(error instanceof RunlogError)) return error;
  const code = error.code in STATUS ? (error.code as keyof typeof STATUS) : 'INVALID_ARGUMENT';
  return new ServerError(STATUS[code], code, error.message);
}

/** Runs `check` (core's validation) and rethrows its RunlogError as the server's answer. */
export function checked<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    throw fromCoreError(error);
  }
}
