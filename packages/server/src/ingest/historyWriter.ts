import type pg from 'pg';
import type { Database } from '../db/database.js';
import {
  BLOCK_ROWS,
  decodeKeys,
  encodeKeys,
  type HistoryBlock,
  mergeBlocks,
  type StoredBlockRow,
} from './historyBlocks.js';
import { copyHistoryRows } from './historyCopy.js';
import { scanHistory } from './historyScan.js';

/**
 * Writes a batch's history rows (the new whole lines of `bytes`, byte `at` of the client's file) and their block
 * statistics, inside the batch's transaction; returns the rows counted. Rows without an integer `_step` are
 * damaged and skipped; a step the run already has is skipped (a step appears at most once).
 *
 * On PostgreSQL, a batch whose steps increase past the run's last stored step (every batch of a normal run)
 * goes in with COPY. Otherwise (PGlite, a step logged twice, a retry that overlaps rows) one multi-row INSERT
 * with ON CONFLICT DO NOTHING: the lines' JSON text is one parameter that PostgreSQL splits and parses.
 */
export async function writeHistoryRows(
  client: pg.PoolClient,
  kind: Database['kind'],
  runPk: number,
  rowCount: number,
  at: number,
  bytes: Buffer,
): Promise<number> {
  const scan = scanHistory(bytes, at, rowCount);
  if (scan.count === 0) return 0;
  if (kind === 'postgres' && scan.increasing && scan.utf8 && (await pastLastStep(client, runPk, scan.steps[0]))) {
    await copyHistoryRows(client, runPk, at, bytes, scan);
  } else {
    const texts = new Array<string>(scan.count);
    const offsets = new Array<number>(scan.count);
    for (let i = 0; i < scan.count; i++) {
      texts[i] = scan.text(i);
      offsets[i] = at + scan.starts[i];
    }
    await client.query(
      `INSERT INTO history_rows (run_pk, step, byte_offset, row)
       SELECT $1, t.s, t.o, t.r::json FROM unnest($2::bigint[], $3::bigint[], string_to_array($4, E'\\n')) AS t(s, o, r)
       ON CONFLICT DO NOTHING`,
      [runPk, scan.steps, offsets, texts.join('\n')],
    );
  }
  await writeBlocks(client, runPk, rowCount, scan.blocks);
  return scan.count;
}

/** Whether `step` is greater than every step the run has stored (an index probe of its primary key). */
async function pastLastStep(client: pg.PoolClient, runPk: number, step: number): Promise<boolean> {
  const { rows } = await client.query<{ step: string }>(
    'SELECT step FROM history_rows WHERE run_pk = $1 ORDER BY step DESC LIMIT 1',
    [runPk],
  );
  return rows.length === 0 || Number(rows[0].step) < step;
}

async function writeBlocks(
  client: pg.PoolClient,
  runPk: number,
  rowCount: number,
  blocks: Map<number, HistoryBlock>,
): Promise<void> {
  const partial = Math.floor(rowCount / BLOCK_ROWS);
  if (rowCount % BLOCK_ROWS !== 0 && blocks.has(partial)) {
    // The run's last block was cut by the previous batch: join its stored part with this batch's part.
    const { rows } = await client.query<StoredBlockRow>(
      'SELECT start_offset, end_offset, rows, first_step, last_step, keys FROM history_blocks WHERE run_pk = $1 AND block = $2',
      [runPk, partial],
    );
    const stored = rows[0];
    if (stored) {
      const earlier: HistoryBlock = {
        block: partial,
        start: Number(stored.start_offset),
        end: Number(stored.end_offset),
        rows: stored.rows,
        firstStep: Number(stored.first_step),
        lastStep: Number(stored.last_step),
        keys: decodeKeys(stored.keys),
      };
      blocks.set(partial, mergeBlocks(earlier, blocks.get(partial) as HistoryBlock));
    }
  }
  const records = [...blocks.values()].map((b) => ({
    block: b.block,
    start_offset: b.start,
    end_offset: b.end,
    rows: b.rows,
    first_step: b.firstStep,
    last_step: b.lastStep,
    keys: encodeKeys(b.keys),
  }));
  await client.query(
    `INSERT INTO history_blocks (run_pk, block, start_offset, end_offset, rows, first_step, last_step, keys)
     SELECT $1, b.block, b.start_offset, b.end_offset, b.rows, b.first_step, b.last_step, b.keys
     FROM jsonb_to_recordset($2::jsonb)
       AS b(block integer, start_offset bigint, end_offset bigint, rows integer, first_step bigint, last_step bigint, keys jsonb)
     ON CONFLICT (run_pk, block) DO UPDATE
     SET start_offset = excluded.start_offset, end_offset = excluded.end_offset, rows = excluded.rows,
         first_step = excluded.first_step, last_step = excluded.last_step, keys = excluded.keys`,
    [runPk, JSON.stringify(records)],
  );
}
