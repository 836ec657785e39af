import type { RunRecord } from './dashboardTypes.js';

/** Characters of a summary string the runs table gets (a cell shows a line, not a document). */
export const LIST_TEXT_CHARS = 200;
/** Items of a summary list or keys of a summary object the runs table gets, and how deep it looks. */
const LIST_ITEMS = 32;
const LIST_DEPTH = 3;

/**
 * A summary value as the runs table needs it, bounded whatever was logged (a row may hold up to 4 MiB): long
 * text cut with '…', a histogram or media reference as its `_type` only, long or deep lists and objects as
 * `{ _type: 'list' | 'object', size }`. The run page reads the whole value.
 */
function slimValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return value.length > LIST_TEXT_CHARS ? `${value.slice(0, LIST_TEXT_CHARS)}…` : value;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    if (value.length > LIST_ITEMS || depth >= LIST_DEPTH) return { _type: 'list', size: value.length };
    return value.map((item) => slimValue(item, depth + 1));
  }
  const type = (value as { _type?: unknown })._type;
  if (typeof type === 'string') return type === 'float' || type === 'date' ? value : { _type: type };
  const keys = Object.keys(value);
  if (keys.length > LIST_ITEMS || depth >= LIST_DEPTH) return { _type: 'object', size: keys.length };
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = slimValue((value as Record<string, unknown>)[key], depth + 1);
  return out;
}

/** A run for the runs table: its summary's values bounded (see slimValue). */
export function slimSummary(run: RunRecord): RunRecord {
  const summary: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(run.summary)) summary[key] = slimValue(value, 0);
  return { ...run, summary };
}
