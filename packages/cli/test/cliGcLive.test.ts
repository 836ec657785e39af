import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { init } from '@runlog/core';
import { describe, expect, it } from 'vitest';
import { assertBuilt, runlog, startLiveRun } from './runlog.js';

describe('runlog gc never deletes a run a live process may write', () => {
  it('a run busy in a long synchronous loop is running, not crashed, and gc leaves it alone', async () => {
    assertBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'runlog-gc-live-'));
    // heartbeatIntervalMs is 200: three silent intervals (600 ms) used to read as crashed.
    const trainer = await startLiveRun(dir, 'busy01', 'busy:10000');
    const exited = new Promise((r) => trainer.on('exit', r));
    await new Promise<void>((resolve) => {
      let out = '';
      trainer.stdout?.on('data', (d) => {
        out += String(d);
        if (out.includes('BUSY')) resolve();
      });
    });
    await new Promise((r) => setTimeout(r, 1500));
    const ls = await runlog(['ls', '--dir', dir, '--json']);
    expect(JSON.parse(ls.stdout).map((r: { state: string }) => r.state)).toEqual(['running']);
    const gc = await runlog(['gc', '--dir', dir, '--yes', '--json']);
    expect(JSON.parse(gc.stdout)).toMatchObject({ deleted: [], failures: [] });
    const gcDoneAt = Date.now();
    await exited;
    // The loop outlived the gc (else this test proved nothing): the run ended after it, and all of it is there.
    const run = JSON.parse(readFileSync(join(dir, 'live', 'runs', 'busy01', 'run.json'), 'utf8'));
    expect(run.state).toBe('finished');
    expect(Date.parse(run.finishedAt)).toBeGreaterThan(gcDoneAt);
    const rows = readFileSync(join(dir, 'live', 'runs', 'busy01', 'history.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(rows.map((r) => JSON.parse(r)._step)).toEqual(rows.map((_, i) => i));
  }, 60_000);

  it('a run that reads as crashed but whose lock a live process holds is skipped, with the reason', async () => {
    assertBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'runlog-gc-lock-'));
    const first = await init({ project: 'p', id: 'taken', dir, settings: { quiet: true, systemMetrics: false } });
    await first.finish();
    const runDir = join(dir, 'p', 'runs', 'taken');
    // The run's last writer died (its pid is gone), and another live process has just taken the run over (it
    // holds the lock and has not rewritten run.json yet): the listing says crashed, the lock says hands off.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const doc = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'));
    writeFileSync(join(runDir, 'run.json'), JSON.stringify({ ...doc, state: 'running', pid: dead, finishedAt: null }));
    writeFileSync(join(runDir, 'heartbeat'), JSON.stringify({ pid: dead, host: hostname(), at: doc.updatedAt }));
    const owner = { pid: process.ppid, host: hostname(), at: new Date().toISOString(), purpose: 'run' };
    writeFileSync(join(runDir, 'lock'), JSON.stringify(owner));
    const dry = await runlog(['gc', '--dir', dir, '--json']);
    expect(JSON.parse(dry.stdout).runs.map((r: { path: string }) => r.path)).toEqual(['p/taken']);
    const gc = await runlog(['gc', '--dir', dir, '--yes', '--json']);
    const result = JSON.parse(gc.stdout);
    expect(result.deleted).toEqual([]);
    expect(result.skipped).toEqual([{ path: 'p/taken', reason: expect.stringContaining(`pid ${process.ppid}`) }]);
    expect(existsSync(join(runDir, 'run.json'))).toBe(true);
    const text = await runlog(['gc', '--dir', dir, '--yes']);
    expect(text.stdout).toMatch(/skipped p\/taken: run p\/taken is open in pid \d+/);
    // Once the owner is gone (its lock is stale), gc deletes the crashed run.
    writeFileSync(join(runDir, 'lock'), JSON.stringify({ ...owner, pid: dead }));
    const real = await runlog(['gc', '--dir', dir, '--yes', '--json']);
    expect(JSON.parse(real.stdout)).toMatchObject({ deleted: ['p/taken'], skipped: [] });
    expect(existsSync(runDir)).toBe(false);
  }, 60_000);
});
