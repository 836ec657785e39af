import { encodeJson } from '../values/jsonCodec.js';

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;
/** What a spreadsheet reads as the start of a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field (RFC 4180): empty for a missing value, NaN/Infinity/-Infinity/-0 spelled out, dates as ISO,
 * objects (histograms, media references) as their JSON; quoted when it holds a comma, quote or line break.
 * A string starting with = + - @, a tab or a carriage return gets a leading ' (and quotes), as OWASP recommends, so
 * a spreadsheet shows it instead of running it as a formula; `keepFormulas` writes it as it is. Numbers are
 * never prefixed (-1 stays a number).
 */
export function csvCell(value: unknown, keepFormulas = false): string {
  if (value === undefined || value === null) return '';
  let text: string;
  if (typeof value === 'number') text = Object.is(value, -0) ? '-0' : String(value);
  else if (typeof value === 'string') {
    if (!keepFormulas && FORMULA_START.test(value)) return `"'${value.replaceAll('"', '""')}"`;
    text = value;
  } else if (typeof value === 'boolean') text = value ? 'true' : 'false';
  else if (value instanceof Date) text = value.toISOString();
  else text = encodeJson(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
