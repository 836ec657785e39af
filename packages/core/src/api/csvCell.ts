import { encodeJson } from '../values/jsonCodec.js';

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/**
 * One CSV field (RFC 4180): empty for a missing value, NaN/Infinity/-Infinity/-0 spelled out, dates as ISO,
 * objects (histograms, media references) as their JSON; quoted when it holds a comma, quote or line break.
 */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text: string;
  if (typeof value === 'number') text = Object.is(value, -0) ? '-0' : String(value);
  else if (typeof value === 'string') text = value;
  else if (typeof value === 'boolean') text = value ? 'true' : 'false';
  else if (value instanceof Date) text = value.toISOString();
  else text = encodeJson(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
