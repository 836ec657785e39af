import { HttpError } from './httpError.js';

/** A finite number from a query parameter, or undefined when absent. */
export function queryNumber(query: URLSearchParams, name: string): number | undefined {
  const text = query.get(name);
  if (text === null || text === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new HttpError(400, `query parameter ${name} must be a number, got ${text}`);
  return value;
}

/** An integer query parameter within [min, max], or undefined when absent (400 otherwise). */
export function queryInteger(query: URLSearchParams, name: string, min: number, max: number): number | undefined {
  const value = queryNumber(query, name);
  if (value !== undefined && (!Number.isInteger(value) || value < min || value > max))
    throw new HttpError(400, `query parameter ${name} must be an integer from ${min} to ${max}, got ${value}`);
  return value;
}
