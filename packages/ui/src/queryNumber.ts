import { HttpError } from './httpError.js';

/** A finite number from a query parameter, or undefined when absent. */
export function queryNumber(query: URLSearchParams, name: string): number | undefined {
  const text = query.get(name);
  if (text === null || text === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new HttpError(400, `query parameter ${name} must be a number, got ${text}`);
  return value;
}
