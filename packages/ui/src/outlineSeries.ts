import type { HistoryOutline } from './dashboardStore.js';
import { HistoryColumns } from './historyColumns.js';
import { type Series, type SeriesRequest, seriesQuery } from './seriesQuery.js';

/** Histories shorter than this are read whole for their first chart (fast enough, and exact at every zoom). */
export const OUTLINE_MIN_ROWS = 50_000;

/**
 * True when a request can be answered from a history outline: the whole `_step` range of a long history, for a
 * top-level numeric key (nested keys such as `val.acc` are not indexed: they are read from the rows).
 */
export function outlineAnswers(outline: HistoryOutline | undefined, request: SeriesRequest): outline is HistoryOutline {
  return (
    outline !== undefined &&
    request.xKey === '_step' &&
    request.xMin === undefined &&
    request.xMax === undefined &&
    request.after === undefined &&
    outline.indexedRows >= OUTLINE_MIN_ROWS &&
    outline.numericKeys().has(request.key)
  );
}

/**
 * A series drawn from the outline's real rows (each index block's first, last, minimum and maximum): M4 over
 * them keeps every bucket's extremes at block resolution, so the first chart of a million-row history needs no
 * pass over its rows. `total` is the number of rows holding the key, as for a series read from the rows.
 */
export function outlineSeries(outline: HistoryOutline, request: SeriesRequest): Series {
  const { steps, values } = outline.envelope(request.key);
  const columns = new HistoryColumns();
  for (let i = 0; i < steps.length; i++) columns.append({ _step: steps[i], [request.key]: values[i] });
  const series = seriesQuery(columns, request);
  return {
    ...series,
    total: outline.valueCount(request.key),
    downsampled: true,
    rows: outline.indexedRows + outline.gapRows,
  };
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
