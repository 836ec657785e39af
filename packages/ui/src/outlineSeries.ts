import type { HistoryOutline } from '@runlog/core';
import { HistoryColumns } from './historyColumns.js';
import { type Series, type SeriesRequest, seriesQuery } from './seriesQuery.js';
import { StepAxis } from './stepAxis.js';

/** Histories shorter than this are read whole for their first chart (fast enough, and exact at every zoom). */
export const OUTLINE_MIN_ROWS = 50_000;

/**
 * True when a request can be answered from a history outline: all of a long history (or a range of it) for a
 * top-level numeric key (nested keys such as `val.acc` are not indexed: they are read from the rows), against
 * `_step` or a key that rises with `_step` (a stepMetric like tfjs's `batch/batch_step`, see StepAxis). Live
 * appends (`after`) are read from the rows.
 */
export function outlineAnswers(outline: HistoryOutline | undefined, request: SeriesRequest): outline is HistoryOutline {
  return (
    outline !== undefined &&
    request.after === undefined &&
    outline.indexedRows >= OUTLINE_MIN_ROWS &&
    outline.numericKeys().has(request.key) &&
    StepAxis.of(outline, request.xKey) !== undefined
  );
}

/**
 * A series drawn from the outline's real rows (each index block's first, last, minimum and maximum): M4 over
 * them keeps every bucket's extremes at block resolution, so the first chart of a million-row history needs no
 * pass over its rows; `total` is then the number of rows holding the key. A zoom spanning at most half as many
 * blocks as buckets reads those blocks' rows instead: full detail without reading the whole history. Undefined
 * for a wider zoom: the rows answer it.
 */
export async function outlineSeries(
  outline: HistoryOutline,
  request: SeriesRequest,
  options: { wideFromOutline?: boolean } = {},
): Promise<Series | undefined> {
  const axis = StepAxis.of(outline, request.xKey);
  if (!axis) return undefined;
  const rows = outline.indexedRows + outline.gapRows;
  if (request.xMin !== undefined || request.xMax !== undefined) {
    const [min, max] = axis.stepRange(
      request.xMin ?? Number.NEGATIVE_INFINITY,
      request.xMax ?? Number.POSITIVE_INFINITY,
    );
    if (outline.blocksInRange(min, max) > request.buckets / 2) {
      // A wide range is answered from the rows once read (a range of blocks has no exact point count here), or,
      // when the rows are far away (a remote store: `wideFromOutline`), from the blocks in range: at least two
      // blocks a bucket, so M4 over their envelope draws what it draws from the rows.
      return options.wideFromOutline ? envelopeSeries(outline, axis, request, rows, [min, max]) : undefined;
    }
    // A zoom into a few blocks: their rows are read (only those bytes), and sent at full detail when they fit.
    const columns = new HistoryColumns();
    for (const row of await outline.readStepRange(min, max)) columns.append(row);
    return { ...seriesQuery(columns, request), rows };
  }
  return envelopeSeries(outline, axis, request, rows);
}

/** M4 over the outline's envelope of the key (the points of the blocks in `steps`, when given). */
function envelopeSeries(
  outline: HistoryOutline,
  axis: StepAxis,
  request: SeriesRequest,
  rows: number,
  steps?: [number, number],
): Series {
  const envelope = outline.envelope(request.key);
  const columns = new HistoryColumns();
  for (let i = 0; i < envelope.steps.length; i++) {
    const step = envelope.steps[i];
    if (steps && (step < steps[0] || step > steps[1])) continue;
    columns.append({ _step: step, [request.xKey]: axis.valueAt(step), [request.key]: envelope.values[i] });
  }
  const total = steps ? valuesInSteps(outline, request.key, steps) : outline.valueCount(request.key);
  return { ...seriesQuery(columns, request), total, downsampled: true, rows };
}

/** The key's values in the blocks (and gap rows) within `[min, max]` steps: a wide zoom's point count. */
function valuesInSteps(outline: HistoryOutline, key: string, [min, max]: [number, number]): number {
  let count = 0;
  for (const block of outline.blocks) {
    if (block.lastStep >= min && block.firstStep <= max) count += block.keys[key]?.count ?? 0;
  }
  for (const gap of outline.data.gaps) {
    for (const row of gap.rows) {
      const step = row._step;
      if (typeof step === 'number' && step >= min && step <= max && typeof row[key] === 'number') count++;
    }
  }
  return count;
}

/** The dashboard's key list for a long history from its outline (numbers) and the summary (everything else). */
export function outlineKeys(
  outline: HistoryOutline,
  summary: Record<string, unknown>,
): Array<{ key: string; kind: string }> {
  const keys = new Map<string, string>();
  for (const key of ['_step', '_runtime', '_timestamp', ...outline.numericKeys()]) keys.set(key, 'number');
  const visit = (prefix: string, object: Record<string, unknown>) => {
    for (const [name, value] of Object.entries(object)) {
      const key = prefix + name;
      if (name.startsWith('_') && prefix === '') continue;
      if (keys.has(key)) continue;
      if (typeof value === 'number' || typeof value === 'boolean') keys.set(key, 'number');
      else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        const type = (value as { _type?: unknown })._type;
        if (typeof type === 'string') keys.set(key, type);
        else visit(`${key}.`, value as Record<string, unknown>);
      } else if (value !== null && value !== undefined) keys.set(key, 'string');
    }
  };
  visit('', summary);
  return [...keys].map(([key, kind]) => ({ key, kind }));
}
