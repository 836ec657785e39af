import type { RunRef } from './runData.js';
import type { StoreAccess } from './storeAccess.js';
import type { RowStream } from './streamChunk.js';

/** Every row of a row stream, read chunk by chunk from its start (for the small streams: alerts, artifacts). */
export async function readAllRows(
  access: StoreAccess,
  run: RunRef,
  stream: RowStream,
): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (let offset = 0; ; ) {
    const chunk = await access.readStream(run, stream, { offset });
    for (const row of chunk.rows) rows.push(row);
    if (chunk.nextOffset >= chunk.size || chunk.nextOffset === chunk.offset) return rows;
    offset = chunk.nextOffset;
  }
}

/** The whole console output of a run. */
export async function readAllText(access: StoreAccess, run: RunRef): Promise<string> {
  let text = '';
  for (let offset = 0; ; ) {
    const chunk = await access.readStream(run, 'output', { offset });
    text += chunk.text;
    if (chunk.nextOffset >= chunk.size || chunk.nextOffset === chunk.offset) return text;
    offset = chunk.nextOffset;
  }
}
