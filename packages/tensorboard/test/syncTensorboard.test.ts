import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Api } from '@runlog/core';
import { describe, expect, it } from 'vitest';
import { EventFileWriter } from '../src/format/eventFileWriter.js';
import { syncTensorboard } from '../src/index.js';
import { tensorboardPython } from './helpers/pythonTensorboard.js';
import { quietInit, tempDir } from './helpers/store.js';

const root = tempDir('runlog-tb-sync-');
const STREAM = fileURLToPath(new URL('./python/stream_logdir.py', import.meta.url));

async function history(store: string, path: string) {
  const rows: Array<Record<string, unknown>> = [];
  for await (const row of (await new Api({ dir: store }).run(path)).scanHistory()) rows.push(row);
  return rows;
}

describe('syncTensorboard(run, logdir): a logdir tailed into a live run', () => {
  it("a Python writer's epochs land in the run while it writes, train/ and validation/ in one row per epoch", async () => {
    const store = join(root, 'store');
    const logdir = join(root, 'keras-logs');
    const run = await quietInit(store, { name: 'tailed', settings: { flushIntervalMs: 20 } });
    const tail = syncTensorboard(run, logdir, { pollIntervalMs: 30, holdMs: 5000 });
    const writer = spawn(tensorboardPython(), [STREAM, logdir, '6', '0.3'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const epochsFlushed: number[] = [];
    let rowsWhileWriting = 0;
    for await (const line of createInterface({ input: writer.stdout })) {
      epochsFlushed.push(Number(line));
      if (epochsFlushed.length === 4) {
        await new Promise((resolve) => setTimeout(resolve, 150));
        rowsWhileWriting = tail.stats.rows;
      }
    }
    // epochs 0-2 were complete in both files (epoch 3 waits: the training writer is ahead)
    expect(rowsWhileWriting).toBeGreaterThanOrEqual(3);
    await run.finish();
    const rows = await history(store, run.path);
    expect(rows.map((row) => [row._step, row['train/epoch_loss'], row['validation/epoch_loss']])).toEqual(
      [0, 1, 2, 3, 4, 5].map((epoch) => [epoch, Math.fround(1 / (epoch + 1)), Math.fround(2 / (epoch + 1))]),
    );
    expect(tail.stats).toMatchObject({ rows: 6, late: 0, badCrcRecords: 0 });
    expect(run.state).toBe('finished');
  });

  it('values for a step the run has passed are dropped and counted; finish() reads the files one last time', async () => {
    const store = join(root, 'store');
    const logdir = join(root, 'late-logs');
    const run = await quietInit(store, { name: 'late' });
    const tail = syncTensorboard(run, logdir, { pollIntervalMs: 60_000, holdMs: 0 });
    const train = new EventFileWriter(join(logdir, 'train', 'events.out.tfevents.1.box'));
    for (let step = 1; step <= 5; step++) {
      train.encoder.beginEvent(step, step);
      train.encoder.simpleValue('batch_loss', step);
      train.encoder.endEvent();
    }
    await train.flush();
    await tail.poll();
    const val = new EventFileWriter(join(logdir, 'val', 'events.out.tfevents.1.box'));
    val.encoder.beginEvent(2, 2);
    val.encoder.simpleValue('epoch_loss', 0.5);
    val.encoder.endEvent();
    await val.close();
    train.encoder.beginEvent(6, 6);
    train.encoder.simpleValue('batch_loss', 6);
    train.encoder.endEvent();
    await train.close(); // not polled yet: only the last read at finish() sees it
    await run.finish();
    const rows = await history(store, run.path);
    expect(rows.map((row) => row._step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(rows.some((row) => 'val/epoch_loss' in row)).toBe(false);
    expect(tail.stats.late).toBe(1);
  });
});
