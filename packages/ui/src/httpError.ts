/** An error with the HTTP status the dashboard answers it with, and a code (default `HTTP_<status>`). */
export class HttpError extends Error {
  readonly code: string;

  constructor(
    readonly status: number,
    message: string,
    code?: string,
  ) {
    super(message);
    this.name = 'HttpError';
    this.code = code ?? `HTTP_${status}`;
  }
}
