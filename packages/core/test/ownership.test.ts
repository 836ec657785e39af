import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startOwnerChild } from './childProcess.js';
import { quietInit, readRows, tempStore } from './helpers.js';

/** A pid that surely belongs to no process: a child that already exited (and was reaped). */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid as number;
}

describe('exactly one process owns a run', () => {
  for (const resume of ['none', 'allow', 'must'] as const) {
    it(`two processes opening one id at the same instant (resume ${resume}): one owner, one RUN_BUSY`, async () => {
      const store = tempStore();
      const id = `race-${resume}`;
      if (resume === 'must') {
        const first = await quietInit(store, { project: 'own', id });
        first.log({ i: -1 });
        await first.finish();
      }
      // Both load, then open the id the moment the go file appears.
      const go = join(store, 'go');
      const children = [0, 1].map(() => startOwnerChild(store, 'race', id, `${resume}:${go}`));
      await Promise.all(children.map((c) => c.waitFor('loaded')));
      writeFileSync(go, '');
      await Promise.all(children.map((c) => c.exited));
      const events = children.flatMap((c) => c.events);
      const opened = events.filter((e) => e.event === 'opened');
      const refused = events.filter((e) => e.event === 'refused');
      expect(opened).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect(refused[0].code).toBe('RUN_BUSY');
      // The loser is told who owns the run (its pid), unless the winner had already finished and released it.
      expect(refused[0].message).toContain(`pid ${opened[0].pid}`);
      const rows = readRows(join(store, 'own', 'runs', id, 'history.jsonl'));
      const owner = rows.filter((r) => r.pid !== undefined);
      expect(owner.every((r) => r.pid === opened[0].pid)).toBe(true);
      expect(owner).toHaveLength(200);
      const steps = rows.map((r) => r._step);
      expect(new Set(steps).size).toBe(steps.length);
    }, 60_000);
  }

  it('a lock left by a dead process is recovered; a live owner is named in RUN_BUSY', async () => {
    const store = tempStore();
    const dir = join(store, 'test', 'runs', 'stale');
    const first = await quietInit(store, { id: 'stale' });
    await first.finish();
    expect(existsSync(join(dir, 'lock'))).toBe(false); // released at finish
    const dead = deadPid();
    writeFileSync(join(dir, 'lock'), JSON.stringify({ pid: dead, host: hostname(), at: 'x', purpose: 'run' }));
    const resumed = await quietInit(store, { id: 'stale', resume: 'allow' });
    expect(JSON.parse(readFileSync(join(dir, 'lock'), 'utf8'))).toMatchObject({ pid: process.pid });
    // This process owns it now: a second open here is refused too.
    await expect(quietInit(store, { id: 'stale', resume: 'allow' })).rejects.toMatchObject({
      code: 'RUN_BUSY',
      message: expect.stringContaining('this process'),
    });
    await resumed.finish();
    // A lock held by a live process on this host (the parent of this test, say) is never taken over.
    writeFileSync(join(dir, 'lock'), JSON.stringify({ pid: process.ppid, host: hostname(), at: 'y', purpose: 'run' }));
    await expect(quietInit(store, { id: 'stale', resume: 'allow' })).rejects.toMatchObject({
      code: 'RUN_BUSY',
      message: expect.stringContaining(`pid ${process.ppid}`),
    });
  });

  it('a refused init leaves nothing behind in a folder it made', async () => {
    const store = tempStore();
    await expect(quietInit(store, { id: 'nothing', resume: 'must' })).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' });
    expect(existsSync(join(store, 'test', 'runs', 'nothing'))).toBe(false);
  });
});
