import type { RunRef } from '../access/runData.js';
import type { StoreAccess } from '../access/storeAccess.js';
import { InvalidValueError } from '../errors/runlogError.js';
import { KeyProjection } from '../historyRows/keyProjection.js';
import { HistoryOutline } from './historyOutline.js';
import { HistorySampler } from './historySampler.js';
import {
  absentKeys,
  type HistoryRow,
  HistoryScan,
  type HistorySource,
  type ScanHistoryOptions,
} from './historyScan.js';
import { resolveKeyPath } from './keyPath.js';

export interface HistoryOptions {
  /** Key paths to return (rows holding all of them). Default: every key. */
  keys?: readonly string[];
  /** About how many rows to return (default 500): an even spread plus first, last and each key's extremes. */
  samples?: number;
  /** The key rows are ordered and spread by; returned in every row. Default `_step` (`_runtime` for system). */
  xAxis?: string;
  /** 'default' for logged metrics (history.jsonl), 'system' for machine metrics (system.jsonl). */
  stream?: 'default' | 'system';
  /**
   * Use the history index (history-index.jsonl) to find extremes and read only the chosen rows. Default 'auto':
   * when the history has at least 16 rows per sample; `false` always reads every row.
   */
  useIndex?: boolean | 'auto';
}

/** The history of one run as RunView reads it: its store, its name and its summary (which vouches for keys). */
export interface RunHistoryContext {
  access: StoreAccess;
  run: RunRef;
  summary: Record<string, unknown>;
  lastHistoryStep: number;
}

export function historySource(context: RunHistoryContext, stream: 'history' | 'system'): HistorySource {
  const { access, run, summary } = context;
  return {
    access,
    run,
    stream,
    knownKey: (key) => stream === 'history' && resolveKeyPath(summary, key) !== undefined,
    availableKeys: () => (stream === 'history' ? Object.keys(summary).filter((k) => !k.startsWith('_')) : []),
  };
}

export function scanStream(
  context: RunHistoryContext,
  stream: 'history' | 'system',
  options: ScanHistoryOptions,
): HistoryScan {
  return new HistoryScan(historySource(context, stream), options);
}

/** The outline of the run's history, or undefined when the store has none it can trust. */
export async function historyOutlineOf(context: RunHistoryContext): Promise<HistoryOutline | undefined> {
  const data = await context.access.historyOutline(context.run);
  return data ? new HistoryOutline(data, context.access, context.run) : undefined;
}

/** RunView.history(): a sampled history for plots (see HistoryOptions). */
export async function sampleHistory(context: RunHistoryContext, options: HistoryOptions): Promise<HistoryRow[]> {
  const stream = options.stream ?? 'default';
  if (stream !== 'default' && stream !== 'system') {
    throw new InvalidValueError(
      `stream must be "default" or "system", got ${JSON.stringify(stream)}`,
      'INVALID_ARGUMENT',
    );
  }
  const samples = options.samples ?? 500;
  if (!Number.isInteger(samples) || samples < 1) {
    throw new InvalidValueError(`samples must be a positive integer, got ${samples}`, 'INVALID_ARGUMENT');
  }
  const xAxis = options.xAxis ?? (stream === 'system' ? '_runtime' : '_step');
  const keys = options.keys;
  if (stream === 'default' && xAxis === '_step' && options.useIndex !== false) {
    const rows = await historyFromIndex(context, samples, keys, options.useIndex === true);
    if (rows) return rows;
  }
  const streamName = stream === 'system' ? 'system' : 'history';
  const required = keys ? [...new Set([xAxis, ...keys])] : undefined;
  const scan = scanStream(context, streamName, { keys: required, pageSize: 4096 });
  const sampler = new HistorySampler(samples, keys);
  let xAxisSeen = keys !== undefined;
  for await (const page of scan.pages()) {
    for (const row of page) {
      if (!keys) {
        if (resolveKeyPath(row, xAxis) === undefined) continue;
        xAxisSeen = true;
      }
      sampler.add(row);
    }
  }
  if (!xAxisSeen && context.lastHistoryStep >= 0 && stream === 'default') {
    throw absentKeys([xAxis], historySource(context, 'history').availableKeys());
  }
  return sampler.result();
}

/** history() answered from the index: undefined when it cannot be (no index, sparse keys, a small history). */
async function historyFromIndex(
  context: RunHistoryContext,
  samples: number,
  keys: readonly string[] | undefined,
  always: boolean,
): Promise<HistoryRow[] | undefined> {
  const index = await historyOutlineOf(context);
  if (!index) return undefined;
  const total = index.indexedRows + index.gapRows;
  if (!always && total < 16 * samples) return undefined;
  if (keys && !keys.every((key) => index.isDense(key))) return undefined;
  const required = index.extremeSteps(keys ?? index.numericKeys());
  const spread = Math.max(0, samples - required.size - 2);
  const positions = [0, total - 1];
  for (let j = 1; j <= spread; j++) positions.push(Math.round((j * (total - 1)) / (spread + 1)));
  const rows = await index.readRows(positions, required);
  if (!keys) return rows;
  const projection = new KeyProjection(keys, true);
  return rows.flatMap((row): HistoryRow[] => {
    const projected = projection.row(row);
    return projected ? [projected] : [];
  });
}
