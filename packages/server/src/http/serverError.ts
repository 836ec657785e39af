/** Stable codes of the server's error answers (docs/PROTOCOL.md, "Errors"). A code never changes meaning. */
export type ServerErrorCode =
  | 'INVALID_NAME'
  | 'INVALID_PATH'
  | 'INVALID_DIGEST'
  | 'INVALID_ARGUMENT'
  | 'BODY_MALFORMED'
  | 'BATCH_TORN'
  | 'DOCUMENT_MISMATCH'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'HOST_NOT_ALLOWED'
  | 'ORIGIN_NOT_ALLOWED'
  | 'NOT_FOUND'
  | 'RUN_NOT_FOUND'
  | 'UPLOAD_NOT_FOUND'
  | 'UPLOAD_INCOMPLETE'
  | 'OFFSET_GAP'
  | 'OFFSET_MISALIGNED'
  | 'BLOB_MISSING'
  | 'ARTIFACT_TYPE_MISMATCH'
  | 'ARTIFACT_NOT_FOUND'
  | 'FILTER_INVALID'
  | 'STATE_TRANSITION'
  | 'RUN_EXISTS'
  | 'RUN_LEASED'
  | 'BODY_TOO_LARGE'
  | 'UNSUPPORTED_ENCODING'
  | 'DIGEST_MISMATCH'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'CONFIG_INVALID'
  | 'DATA_LOCKED'
  | 'SCHEMA_TOO_NEW'
  | 'SWEEP_NOT_FOUND'
  | 'SWEEP_STATE'
  | 'SWEEP_CONFIG_INVALID'
  | 'INVALID_FOLDER'
  | 'FOLDER_NOT_FOUND'
  | 'FOLDER_CONFLICT'
  | 'INTERNAL';

/**
 * An error the server answers with `status` and `{"error":{code, message, ...details}}`. Thrown at the call that
 * found the problem; the request's transaction is rolled back, so nothing of the request is stored.
 */
export class ServerError extends Error {
  constructor(
    readonly status: number,
    readonly code: ServerErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ServerError';
  }

  toJSON(): { error: Record<string, unknown> } {
    return { error: { code: this.code, message: this.message, ...this.details } };
  }
}
