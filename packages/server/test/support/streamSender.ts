import type { TestClient } from './httpClient.js';

export interface SendReport {
  batches: number;
  retries: number;
  hwm: number;
}

/**
 * Sends a stream's bytes in batches of whole lines from offset 0 the way a sync client does: on success it goes on
 * from the answer's `hwm`, after OFFSET_GAP from `expected`, and it retries 429/5xx and network errors (the
 * server down, restarting, or its database restarting) after a pause. `clients` are tried in turn on errors
 * (fail-over between replicas).
 */
export async function sendStream(
  clients: () => TestClient,
  run: string,
  stream: string,
  text: string,
  batchBytes: number,
  options: { onBatch?: (n: number) => Promise<void> | void; deadlineMs?: number; binary?: boolean } = {},
): Promise<SendReport> {
  // `binary`: the text holds the file's bytes one per character (latin1), as read from disk.
  const bytes = Buffer.from(text, options.binary ? 'latin1' : 'utf8');
  const report: SendReport = { batches: 0, retries: 0, hwm: 0 };
  const deadline = Date.now() + (options.deadlineMs ?? 60_000);
  let offset = 0;
  while (offset < bytes.length) {
    if (Date.now() > deadline) throw new Error(`gave up at offset ${offset} after ${report.retries} retries`);
    let end = Math.min(bytes.length, offset + batchBytes);
    if (end < bytes.length) end = bytes.lastIndexOf(0x0a, end - 1) + 1;
    const client = clients();
    try {
      const answer = await client.batch(run, stream, offset, bytes.subarray(offset, end));
      if (answer.status === 200) {
        offset = Number(answer.body.hwm);
        report.batches++;
        await options.onBatch?.(report.batches);
        continue;
      }
      const error = answer.body.error as { code?: string; expected?: number } | undefined;
      if (answer.status === 409 && error?.code === 'OFFSET_GAP') {
        offset = Number(error.expected);
        continue;
      }
      if (answer.status !== 429 && answer.status < 500)
        throw new Error(`batch refused: ${JSON.stringify(answer.body)}`);
    } catch (error) {
      if ((error as Error).message.startsWith('batch refused')) throw error;
    }
    report.retries++;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  report.hwm = offset;
  return report;
}
