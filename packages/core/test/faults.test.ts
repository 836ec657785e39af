import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Api, MEDIA_VALUE, type MediaRef, type MediaValue } from '@runlog/core';
import { describe, expect, it } from 'vitest';
import { quietInit, readRows, tempStore } from './helpers.js';

function mountTinyTmpfs(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('a full disk never crashes the training loop', () => {
  const dir = `/tmp/runlog-fulldisk-${process.pid}`;
  const mounted = mountTinyTmpfs(dir);

  it.skipIf(!mounted)('log() keeps working, errors are counted, and rows are written once space is back', async () => {
    try {
      const run = await quietInit(dir, {
        settings: { flushIntervalMs: 10_000, console: false, systemMetrics: false, quiet: true },
      });
      for (let i = 0; i < 50; i++) run.log({ i, before: true });
      await run.flush();
      // Fill the disk to the last byte.
      const filler = join(dir, 'filler');
      try {
        writeFileSync(filler, Buffer.alloc(4 * 1024 * 1024));
      } catch {
        // ENOSPC once it is full: exactly what we want
      }
      for (let i = 50; i < 2000; i++) run.log({ i, payload: 'x'.repeat(200) });
      await run.flush();
      const status = run.status();
      expect(status.writeErrors).toBeGreaterThan(0);
      expect(status.errors.some((e) => /ENOSPC/.test(e.message))).toBe(true);
      expect(status.queuedBytes).toBeGreaterThan(0);
      // Everything logged before the disk filled is still on disk and readable.
      const early = readRows(join(run.dir, 'history.jsonl'));
      expect(early.slice(0, 50).map((r) => r.i)).toEqual(Array.from({ length: 50 }, (_, i) => i));
      // Free the space: the queued rows land, in order, nothing lost.
      rmSync(filler, { force: true });
      await run.finish();
      const rows = readRows(join(run.dir, 'history.jsonl'));
      expect(rows.map((r) => r.i)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
      expect(rows.map((r) => r._step)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
      // The history index followed the retried writes: every row in a block, offsets right.
      const index = (await (await new Api({ dir }).run(run.path)).historyIndex())!;
      expect(index.gapRows).toBe(0);
      expect(index.indexedRows).toBe(2000);
      const outline = index.envelope('i');
      expect([outline.values[0], outline.values.at(-1)]).toEqual([0, 1999]);
      const middle = await index.readRows([1000], []);
      expect(middle[0]).toMatchObject({ _step: 1000, i: 1000 });
    } finally {
      execFileSync('umount', [dir]);
    }
  });
});

describe('status().rowsWritten counts the rows on disk, not the rows queued', () => {
  it('while writes fail, and once they succeed again', async () => {
    const run = await quietInit(tempStore(), { settings: { flushIntervalMs: 60_000 } });
    // history.jsonl is created by the first write: a folder in its place makes every write fail (EISDIR).
    const history = join(run.dir, 'history.jsonl');
    mkdirSync(history);
    for (let i = 0; i < 10; i++) run.log({ i });
    await run.flush();
    expect(run.status().errors.some((e) => e.context === 'writing history.jsonl')).toBe(true);
    expect(run.status().writeErrors).toBeGreaterThan(0);
    expect(run.status().rowsWritten).toBe(0);
    rmSync(history, { recursive: true });
    run.log({ i: 10 }, { commit: false }); // the pending row: not even queued yet
    await run.flush();
    expect(run.status().rowsWritten).toBe(10);
    await run.finish();
    expect(run.status().rowsWritten).toBe(11);
    expect(readRows(history).map((r) => r.i)).toEqual(Array.from({ length: 11 }, (_, i) => i));
  });

  it('while a row waits for its media, rows after it wait too', async () => {
    let release = () => {};
    const slow: MediaValue = {
      [MEDIA_VALUE]: true,
      mediaKind: 'text',
      async toMediaRef(context): Promise<MediaRef> {
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return { _type: 'text-file', ...(await context.writeMediaFile('text', 'txt', Buffer.from('late'))) };
      },
    };
    const run = await quietInit(tempStore(), { settings: { flushIntervalMs: 10 } });
    run.log({ i: 0 });
    run.log({ i: 1, sample: slow });
    run.log({ i: 2 });
    // Background flushes write the first row and stop at the one whose media is still encoding.
    await new Promise((r) => setTimeout(r, 100));
    expect(run.status()).toMatchObject({ rowsWritten: 1, pendingMedia: 1 });
    release();
    await run.flush();
    expect(run.status()).toMatchObject({ rowsWritten: 3, pendingMedia: 0 });
    await run.finish();
    expect(readRows(join(run.dir, 'history.jsonl')).map((r) => r.i)).toEqual([0, 1, 2]);
  });
});
