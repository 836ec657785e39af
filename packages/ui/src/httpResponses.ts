import type { ServerResponse } from 'node:http';
import { encodeJson, InvalidValueError, NotFoundError, RunlogError } from '@runlog/core';
import { HttpError } from './httpError.js';

/** JSON with NaN, ±Infinity and -0 encoded the way docs/FORMAT.md writes them; the app decodes them back. */
export function sendJson(res: ServerResponse, value: unknown, status = 200): void {
  const body = encodeJson(value);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
}

const STATUS_OF_CODE: Record<string, number> = {
  RUN_NOT_FOUND: 404,
  ARTIFACT_NOT_FOUND: 404,
  INVALID_ARGUMENT: 400,
  INVALID_VALUE: 400,
  INVALID_KEY: 400,
  FILTER_INVALID: 400,
  ARTIFACT_INVALID: 400,
  MEDIA_INVALID: 400,
  SWEEP_CONFIG_INVALID: 400,
  SWEEP_NOT_FOUND: 404,
  STATE_TRANSITION: 409,
  RUN_BUSY: 409,
};

/** The status of a store error: by its code, else by its class (bad input 400, missing 404); a 500 is a bug. */
function statusOf(error: RunlogError): number {
  const byCode = STATUS_OF_CODE[error.code];
  if (byCode !== undefined) return byCode;
  if (error instanceof InvalidValueError) return 400;
  if (error instanceof NotFoundError || error.name === 'NotFoundError') return 404;
  return 500;
}

/** Answers an error as `{ error: { code, message } }` with a status that fits it. */
export function sendError(res: ServerResponse, error: unknown): void {
  let status = 500;
  let code = 'INTERNAL';
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof HttpError) {
    status = error.status;
    code = error.code;
  } else if (error instanceof RunlogError) {
    code = error.code;
    status = statusOf(error);
  }
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, { error: { code, message } }, status);
}
