import { randomBytes } from 'node:crypto';
import { link, lstat, open, rename, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InvalidValueError, RunlogError } from '../errors/runlogError.js';
import { encodeJson } from '../values/jsonCodec.js';
import { csvCell } from './csvCell.js';
import { HistoryColumns } from './historyColumns.js';
import type { HistoryRow, HistoryScan, ScanHistoryOptions } from './historyScan.js';
import { parquetTypeOf, toParquetValue } from './parquetColumns.js';

export const EXPORT_FORMATS = ['csv', 'jsonl', 'parquet'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportHistoryOptions {
  format: ExportFormat;
  /** The file to write; replaced atomically (a reader never sees half an export). */
  path: string;
  /** Only these key paths (rows holding all of them), like scanHistory. Default: every key. */
  keys?: readonly string[];
  minStep?: number;
  maxStep?: number;
  /** Fraction done, 0..1, for progress bars. */
  onProgress?: (fraction: number) => void;
  /** false: refuse (FILE_EXISTS) when `path` exists, checked before and again atomically at the end. Default true. */
  overwrite?: boolean;
  /** CSV: write cells that start with = + - @ as they are, not prefixed with ' (see csvCell). Default false. */
  keepFormulas?: boolean;
}

export interface ExportResult {
  path: string;
  format: ExportFormat;
  rows: number;
  columns: string[];
}

const PARQUET_ROW_GROUP = 100_000;

/** Writes a run's history as CSV, JSON lines or Parquet. Two passes for CSV/Parquet: columns first, then rows. */
export async function exportHistory(
  scan: (options: ScanHistoryOptions) => HistoryScan,
  options: ExportHistoryOptions,
): Promise<ExportResult> {
  const { format, keys, minStep, maxStep, onProgress } = options;
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new InvalidValueError(
      `format must be one of ${EXPORT_FORMATS.join(', ')}, got ${JSON.stringify(format)}`,
      'INVALID_ARGUMENT',
    );
  }
  if (typeof options.path !== 'string' || options.path === '') {
    throw new InvalidValueError('path must name the file to write', 'INVALID_ARGUMENT');
  }
  const target = resolve(options.path);
  const overwrite = options.overwrite !== false;
  if (!overwrite && (await exists(target))) throw fileExists(target);
  const temp = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const passes = format === 'jsonl' ? 1 : 2;
  const pass = (index: number) => (done: number, total: number) =>
    onProgress?.(total > 0 ? (index + done / total) / passes : 1);
  const base = { keys, minStep, maxStep, pageSize: 4096 };
  try {
    let result: Omit<ExportResult, 'path' | 'format'>;
    if (format === 'jsonl') {
      result = await writeJsonLines(scan({ ...base, onProgress: pass(0) }), temp);
    } else {
      const columns = new HistoryColumns();
      for await (const page of scan({ ...base, onProgress: pass(0) }).pages()) for (const row of page) columns.add(row);
      const rows = scan({ ...base, onProgress: pass(1) });
      result =
        format === 'csv'
          ? await writeCsv(rows, columns, temp, options.keepFormulas === true)
          : await writeParquet(rows, columns, temp);
    }
    if (overwrite) await rename(temp, target);
    else await publishWithoutReplacing(temp, target);
    onProgress?.(1);
    return { path: target, format, ...result };
  } catch (error) {
    await rm(temp, { force: true });
    if (error instanceof RunlogError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new InvalidValueError(`cannot write ${target}: does ${dirname(target)} exist?`, 'INVALID_ARGUMENT');
    }
    throw error;
  }
}

async function writeJsonLines(scan: HistoryScan, temp: string) {
  const handle = await open(temp, 'w');
  const columns = new Set<string>();
  let rows = 0;
  try {
    for await (const page of scan.pages()) {
      let text = '';
      for (const row of page) {
        for (const key in row) columns.add(key);
        text += `${encodeJson(row)}\n`;
      }
      rows += page.length;
      await handle.write(text);
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { rows, columns: [...columns] };
}

/** A hard link fails with EEXIST instead of replacing: the file someone created meanwhile is kept. */
async function publishWithoutReplacing(temp: string, target: string): Promise<void> {
  try {
    await link(temp, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw fileExists(target);
    throw error;
  }
  await rm(temp, { force: true });
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

function fileExists(target: string): RunlogError {
  return new RunlogError('FILE_EXISTS', `${target} already exists: choose another path, or overwrite it (--force)`);
}

async function writeCsv(scan: HistoryScan, columns: HistoryColumns, temp: string, keepFormulas: boolean) {
  const names = columns.list().map((c) => c.name);
  const handle = await open(temp, 'w');
  let rows = 0;
  try {
    await handle.write(`${names.map((n) => csvCell(n, keepFormulas)).join(',')}\n`);
    for await (const page of scan.pages()) {
      let text = '';
      for (const row of page) text += `${names.map((n) => csvCell(row[n], keepFormulas)).join(',')}\n`;
      rows += page.length;
      await handle.write(text);
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { rows, columns: names };
}

async function writeParquet(scan: HistoryScan, columns: HistoryColumns, temp: string) {
  // hyparquet-writer is ESM-only: a dynamic import keeps the CommonJS build of core loadable.
  const { ParquetWriter, fileWriter, schemaFromColumnData } = await import('hyparquet-writer');
  const specs = columns.list().map((c) => ({ name: c.name, type: parquetTypeOf(c) }));
  if (specs.length === 0) specs.push({ name: '_step', type: 'INT64' }); // an empty history still makes a valid file
  const schema = schemaFromColumnData({ columnData: specs.map((s) => ({ ...s, data: [] })) });
  const writer = new ParquetWriter({ writer: fileWriter(temp), schema, createdBy: 'runlog' });
  let group: HistoryRow[] = [];
  let rows = 0;
  const flush = async () => {
    if (group.length === 0) return;
    const columnData = specs.map((s) => ({
      name: s.name,
      type: s.type,
      data: group.map((row) => toParquetValue(s.type, row[s.name])),
    }));
    await writer.write({ columnData, rowGroupSize: group.length });
    rows += group.length;
    group = [];
  };
  for await (const page of scan.pages()) {
    for (const row of page) group.push(row);
    if (group.length >= PARQUET_ROW_GROUP) await flush();
  }
  await flush();
  await writer.finish();
  return { rows, columns: specs.map((s) => s.name) };
}
