import type { Database } from '../db/database.js';
import { BLOCK_ROWS, type StoredBlockRow } from '../ingest/historyBlocks.js';

const STAT_FIELDS = ['count', 'firstStep', 'first', 'lastStep', 'last', 'minStep', 'min', 'maxStep', 'max'] as const;

/**
 * The seam's history outline from the blocks computed at ingestion: each block's byte range, rows, steps and,
 * per numeric key, count/first/last/min/max with their steps (±Infinity value-codec encoded). The server's
 * blocks cover every row it has, so there are no gaps.
 */
export async function historyOutline(db: Database, runPk: number) {
  const [blocks, size] = await Promise.all([
    db.query<StoredBlockRow>(
      'SELECT start_offset, end_offset, rows, first_step, last_step, keys FROM history_blocks WHERE run_pk = $1 ORDER BY block',
      [runPk],
    ),
    db.query<{ hwm: string }>("SELECT hwm FROM run_streams WHERE run_pk = $1 AND stream = 'history'", [runPk]),
  ]);
  if (blocks.rows.length === 0) return undefined;
  return {
    historyBytes: size.rows[0] ? Number(size.rows[0].hwm) : 0,
    blocks: blocks.rows.map((b) => {
      const keys: Record<string, Record<string, unknown>> = {};
      for (const [key, stats] of Object.entries(b.keys)) {
        keys[key] = Object.fromEntries(STAT_FIELDS.map((field, i) => [field, stats[i]]));
      }
      return {
        start: Number(b.start_offset),
        end: Number(b.end_offset),
        rows: b.rows,
        firstStep: Number(b.first_step),
        lastStep: Number(b.last_step),
        keys,
      };
    }),
    gaps: [],
  };
}

/**
 * The same outline as JSON text in the compact form (docs/PROTOCOL.md, "Reading"): each block a tuple
 * `[start, end, rows, firstStep, lastStep, {key: [count, firstStep, first, lastStep, last, minStep, min, maxStep,
 * max]}]`, the statistics as stored. PostgreSQL writes the text: the server parses nothing, so a chart of
 * millions of points costs it one index scan of the blocks. `null` when the run has no history.
 */
export async function compactHistoryOutline(db: Database, runPk: number): Promise<string> {
  const { rows } = await db.query<{ blocks: string | null; hwm: string | null }>(
    `SELECT (SELECT string_agg('[' || start_offset || ',' || end_offset || ',' || rows || ',' || first_step || ','
                               || last_step || ',' || keys::text || ']', ',' ORDER BY block)
             FROM history_blocks WHERE run_pk = $1) AS blocks,
            (SELECT hwm FROM run_streams WHERE run_pk = $1 AND stream = 'history') AS hwm`,
    [runPk],
  );
  const { blocks, hwm } = rows[0];
  if (blocks === null) return 'null';
  return `{"historyBytes":${Number(hwm ?? 0)},"format":"compact","blocks":[${blocks}],"gaps":[]}`;
}

/** Every row with a `_step` in [minStep, maxStep], in step order (a zoomed chart's full-detail rows). */
export async function readHistoryRange(db: Database, runPk: number, minStep: number, maxStep: number) {
  const { rows } = await db.query<{ t: string }>(
    'SELECT row::text AS t FROM history_rows WHERE run_pk = $1 AND step BETWEEN $2 AND $3 ORDER BY step',
    [runPk, Math.ceil(minStep), Math.floor(maxStep)],
  );
  return rows.map((r) => JSON.parse(r.t) as Record<string, unknown>);
}

/** Rows chosen by position (0 = first row) and by `_step`, in step order; absent ones are skipped. */
export async function readHistoryRows(db: Database, runPk: number, positions: number[], steps: number[]) {
  const wanted = new Set(steps.filter(Number.isSafeInteger));
  const byBlock = new Map<number, number[]>();
  for (const position of positions) {
    if (!Number.isSafeInteger(position) || position < 0) continue;
    const block = Math.floor(position / BLOCK_ROWS);
    byBlock.set(block, [...(byBlock.get(block) ?? []), position % BLOCK_ROWS]);
  }
  if (byBlock.size > 0) {
    // A position is the n-th row of its block: the block's step range and the rows' order within it find it.
    const { rows } = await db.query<{ block: number; first_step: string; last_step: string }>(
      'SELECT block, first_step, last_step FROM history_blocks WHERE run_pk = $1 AND block = ANY($2::int[])',
      [runPk, [...byBlock.keys()]],
    );
    for (const block of rows) {
      const { rows: stepsInBlock } = await db.query<{ step: string }>(
        'SELECT step FROM history_rows WHERE run_pk = $1 AND step BETWEEN $2 AND $3 ORDER BY step',
        [runPk, block.first_step, block.last_step],
      );
      for (const index of byBlock.get(block.block) ?? []) {
        if (stepsInBlock[index]) wanted.add(Number(stepsInBlock[index].step));
      }
    }
  }
  if (wanted.size === 0) return [];
  const { rows } = await db.query<{ t: string }>(
    'SELECT row::text AS t FROM history_rows WHERE run_pk = $1 AND step = ANY($2::bigint[]) ORDER BY step',
    [runPk, [...wanted]],
  );
  return rows.map((r) => JSON.parse(r.t) as Record<string, unknown>);
}
