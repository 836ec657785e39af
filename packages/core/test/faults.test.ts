import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Api } from '@runlog/core';
import { describe, expect, it } from 'vitest';
import { quietInit, readRows } from './helpers.js';

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
