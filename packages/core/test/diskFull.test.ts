import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Api } from '@runlog/core';
import { afterAll, describe, expect, it } from 'vitest';
import { startOwnerChild } from './childProcess.js';
import { quietInit, readRows } from './helpers.js';

/**
 * A real full disk: a 2 MiB tmpfs (needs root; the test is skipped without it). No mock: every write runs into
 * the kernel's ENOSPC, and freeing the filler gives the space back.
 */
function mountTinyTmpfs(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a full disk: log() stays cheap, memory bounded, writing resumes in order', () => {
  const dir = `/tmp/runlog-diskfull-${process.pid}`;
  const mounted = mountTinyTmpfs(dir);
  afterAll(() => {
    if (mounted) execFileSync('umount', ['-l', dir]); // lazy: a failed test may leave a file open
  });

  it.skipIf(!mounted)(
    'backs off on a timer, drops and counts rows beyond the bound, resumes when space returns',
    async () => {
      try {
        const cap = 1536 * 1024; // above the 1 MiB a never-yielding loop queues before its first synchronous write
        const run = await quietInit(dir, { settings: { flushIntervalMs: 20, maxQueuedBytes: cap } });
        const reported: Array<{ context: string; message: string }> = [];
        run.on('error', (event: { context: string; message: string }) => reported.push(event));
        for (let i = 0; i < 50; i++) run.log({ i });
        await run.flush();
        const filler = join(dir, 'filler');
        try {
          writeFileSync(filler, Buffer.alloc(4 * 1024 * 1024));
        } catch {
          // ENOSPC once it is full: exactly what we want
        }
        // 20,000 rows of ~250 bytes (5 MB) into a full disk: every call stays cheap (no retry, no copy per call).
        const started = performance.now();
        for (let i = 50; i < 20_050; i++) run.log({ i, payload: 'x'.repeat(200) });
        const loggingMs = performance.now() - started;
        expect(loggingMs).toBeLessThan(5000); // main: minutes (each call retried a write of the whole queue)
        // Retries run on a backing-off timer, not on each 20 ms flush tick.
        const errorsBefore = run.status().writeErrors;
        await sleep(1500);
        const retries = run.status().writeErrors - errorsBefore;
        expect(retries).toBeGreaterThan(0);
        expect(retries).toBeLessThanOrEqual(6); // 100, 200, 400, 800 ms...; a 20 ms tick would be ~75
        const full = run.status();
        expect(full.queuedBytes).toBeLessThan(cap + 2 * 65_536 + 8192);
        expect(full.droppedRows).toBeGreaterThan(10_000);
        const reports = reported.filter((e) => e.context === 'queue of history.jsonl full');
        expect(reports).toHaveLength(1);
        expect(reports[0].message).toMatch(/newer lines are dropped/);
        // Space comes back: the retry timer writes what waited, in order, without a flush call.
        rmSync(filler, { force: true });
        const deadline = Date.now() + 15_000;
        while (run.status().rowsWritten + run.status().droppedRows < 20_050 && Date.now() < deadline) await sleep(100);
        const back = run.status();
        expect(back.rowsWritten + back.droppedRows).toBe(20_050);
        for (let i = 20_050; i < 20_100; i++) run.log({ i });
        await run.finish();
        const rows = readRows(join(run.dir, 'history.jsonl'));
        const end = run.status();
        expect(rows.length).toBe(end.rowsWritten);
        expect(end.rowsWritten + end.droppedRows).toBe(20_100);
        const steps = rows.map((r) => r._step as number);
        expect(steps.every((s, k) => k === 0 || s > steps[k - 1])).toBe(true); // in order, dropped ones missing
        expect(rows.slice(0, 50).map((r) => r.i)).toEqual(Array.from({ length: 50 }, (_, i) => i));
        expect(rows.at(-1)?.i).toBe(20_099); // rows after the space came back are all there
        // The history index skips the blocks that lost rows: reads by position and step still find the right rows.
        const index = (await (await new Api({ dir }).run(run.path)).historyIndex())!;
        expect(index.indexedRows + index.gapRows).toBe(rows.length);
        const last = await index.readRows([rows.length - 1], [rows[100]._step as number]);
        expect(last.map((r) => r._step)).toEqual([rows[100]._step, rows.at(-1)?._step]);
      } finally {
        rmSync(join(dir, 'filler'), { force: true });
      }
    },
    60_000,
  );

  it.skipIf(!mounted)(
    'a training loop on a full disk still ends promptly on SIGTERM',
    async () => {
      const store = join(dir, 'signal');
      try {
        const child = startOwnerChild(store, 'full-disk', 'full1', join(dir, 'filler2'));
        await child.waitFor('full');
        await sleep(1000); // a second of logging into the full disk
        const sent = Date.now();
        child.proc.kill('SIGTERM');
        const { signal } = await child.exited;
        expect(signal).toBe('SIGTERM');
        expect(Date.now() - sent).toBeLessThan(5000); // main: the loop never yielded for long enough (minutes)
      } finally {
        rmSync(join(dir, 'filler2'), { force: true });
      }
    },
    60_000,
  );
});
