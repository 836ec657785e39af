import type pg from 'pg';
import {
  BLOCK_ROWS,
  decodeKeys,
  encodeKeys,
  type HistoryBlock,
  mergeBlocks,
  observeRow,
  type StoredBlockRow,
} from './historyBlocks.js';
import type { ParsedLine } from './jsonLineBatch.js';

/**
 * Writes history rows (the new lines of a batch) and their block statistics, inside the batch's transaction.
 * Rows go in as one multi-row statement: the lines' own JSON text is sent as one parameter and PostgreSQL splits
 * and parses it, so the cost per row is close to COPY's. Rows without an integer `_step` are damaged and skipped;
 * a step the run already has is skipped (a step appears at most once). Returns the rows counted.
 */
export async function writeHistoryRows(
  client: pg.PoolClient,
  runPk: number,
  rowCount: number,
  lines: ParsedLine[],
): Promise<number> {
  const steps: number[] = [];
  const offsets: number[] = [];
  const texts: string[] = [];
  const blocks = new Map<number, HistoryBlock>();
  for (const line of lines) {
    const step = line.value._step;
    if (typeof step !== 'number' || !Number.isSafeInteger(step)) continue;
    observeRow(blocks, rowCount + steps.length, line, step, line.value);
    steps.push(step);
    offsets.push(line.offset);
    texts.push(line.text);
  }
  if (steps.length === 0) return 0;
  await client.query(
    `INSERT INTO history_rows (run_pk, step, byte_offset, row)
     SELECT $1, t.s, t.o, t.r::json FROM unnest($2::bigint[], $3::bigint[], string_to_array($4, E'\\n')) AS t(s, o, r)
     ON CONFLICT DO NOTHING`,
    [runPk, steps, offsets, texts.join('\n')],
  );
  await writeBlocks(client, runPk, rowCount, blocks);
  return steps.length;
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
