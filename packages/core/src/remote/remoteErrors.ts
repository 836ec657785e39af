import { NotFoundError, RunlogError, type RunlogErrorCode } from '../errors/runlogError.js';

/** The server's error answer: `{"error":{code, message, ...}}` (docs/PROTOCOL.md, "Errors"). */
export interface ServerErrorBody {
  code?: string;
  message?: string;
}

/** Server codes that are the seam's own codes, passed through unchanged. */
const SAME: ReadonlySet<string> = new Set<RunlogErrorCode>([
  'RUN_NOT_FOUND',
  'ARTIFACT_NOT_FOUND',
  'FILTER_INVALID',
  'STATE_TRANSITION',
  'RUN_EXISTS',
  'INVALID_ARGUMENT',
  'ARTIFACT_TYPE_MISMATCH',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'UNAVAILABLE',
]);

/** Server codes for a name, path or body the seam calls INVALID_ARGUMENT. */
const INVALID = new Set(['INVALID_NAME', 'INVALID_PATH', 'INVALID_DIGEST', 'BODY_MALFORMED', 'BODY_TOO_LARGE']);

/**
 * A server's error answer as the RunlogError the local store would throw for the same call. `notFound` is the
 * seam's code for a plain 404 on this endpoint (a project the token cannot see reads as absent).
 */
export function toRunlogError(
  status: number,
  body: ServerErrorBody | undefined,
  where: string,
  notFound: 'RUN_NOT_FOUND' | 'ARTIFACT_NOT_FOUND',
): RunlogError {
  const serverCode = body?.code ?? '';
  const message = `${body?.message ?? `HTTP ${status}`} (${where})`;
  let code: RunlogErrorCode;
  if (SAME.has(serverCode)) code = serverCode as RunlogErrorCode;
  else if (INVALID.has(serverCode)) code = 'INVALID_ARGUMENT';
  else if (status === 404) code = notFound;
  else if (status === 401) code = 'UNAUTHENTICATED';
  else if (status === 403) code = 'FORBIDDEN';
  else if (status === 429 || status >= 500) code = 'UNAVAILABLE';
  else code = 'INVALID_ARGUMENT';
  return code === 'RUN_NOT_FOUND' || code === 'ARTIFACT_NOT_FOUND'
    ? new NotFoundError(code, message)
    : new RunlogError(code, message);
}
