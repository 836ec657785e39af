import { join } from 'node:path';
import { Api } from '@runlog/core';
import { effectiveState } from '@runlog/core/internal';
import { describe, expect, it } from 'vitest';
import { startOwnerChild } from './childProcess.js';
import { quietInit, readJsonFile, readRows, tempStore } from './helpers.js';

const runDir = (store: string, id: string) => join(store, 'own', 'runs', id);
const runJson = (store: string, id: string) =>
  readJsonFile(join(runDir(store, id), 'run.json')) as { state: string; exitCode: number | null; finishedAt: string };

describe('runlog ends a run only when the process goes down', () => {
  it("with the program's own uncaughtException handler the run stays open, flushed, and finishes", async () => {
    const store = tempStore();
    const child = startOwnerChild(store, 'user-exception', 'exc1');
    const caught = await child.waitFor('caught');
    expect(caught.message).toBe('one bad batch');
    expect(caught.rows).toBe(1); // written synchronously before the program's handler ran
    await child.waitFor('done');
    expect((await child.exited).code).toBe(0);
    expect(runJson(store, 'exc1')).toMatchObject({ state: 'finished', exitCode: 0 });
    expect(readRows(join(runDir(store, 'exc1'), 'history.jsonl')).map((r) => r.i)).toEqual([0, 1]);
  }, 60_000);

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`with the program's own ${signal} handler (graceful shutdown) the last row is kept and the run ends killed`, async () => {
      const store = tempStore();
      const id = `sig-${signal}`;
      const child = startOwnerChild(store, 'user-signal', id, signal);
      await child.waitFor('ready');
      child.proc.kill(signal);
      const signalled = await child.waitFor('signalled');
      expect(signalled.rows).toBe(1); // flushed synchronously on the signal
      expect((await child.exited).code).toBe(0);
      const rows = readRows(join(runDir(store, id), 'history.jsonl'));
      expect(rows.map((r) => r.i ?? r.last)).toEqual([0, 1]);
      expect(runJson(store, id)).toMatchObject({ state: 'killed', exitCode: signal === 'SIGTERM' ? 143 : 130 });
    }, 60_000);
  }

  it('a second Ctrl-C ends the process when the first one is handled by a shutdown that never ends', async () => {
    const store = tempStore();
    const child = startOwnerChild(store, 'sigint-twice', 'twice1');
    await child.waitFor('ready');
    child.proc.kill('SIGINT');
    await child.waitFor('interrupted');
    await new Promise((r) => setTimeout(r, 300)); // the run stays open: the program keeps logging
    expect(child.proc.exitCode).toBeNull();
    child.proc.kill('SIGINT');
    expect((await child.exited).signal).toBe('SIGINT');
    expect(runJson(store, 'twice1')).toMatchObject({ state: 'killed', exitCode: 130 });
    const rows = readRows(join(runDir(store, 'twice1'), 'history.jsonl'));
    expect(rows.length).toBeGreaterThan(1); // rows logged after the first Ctrl-C were written too
    expect(rows.map((r) => r.i)).toEqual(rows.map((_, i) => i));
  }, 60_000);
});

describe('markPreempting() then SIGTERM (t9k/wandb preemption)', () => {
  for (const variant of ['default', 'graceful'] as const) {
    it(`leaves the run preempting, requeueable and resumable (${variant} SIGTERM)`, async () => {
      const store = tempStore();
      const id = `pre-${variant}`;
      const child = startOwnerChild(store, 'preempt', id, variant);
      await child.waitFor('ready');
      child.proc.kill('SIGTERM');
      await child.exited;
      const doc = runJson(store, id);
      expect(doc).toMatchObject({ state: 'preempting', exitCode: 143 });
      expect(effectiveState(runDir(store, id), doc as never)).toBe('preempting');
      const api = new Api({ dir: store });
      const view = await api.run(`own/${id}`);
      expect(view.state).toBe('preempting');
      await view.updateState('pending'); // the scheduler requeues it
      expect((await api.run(`own/${id}`)).state).toBe('pending');
      const resumed = await quietInit(store, { project: 'own', id, resume: 'allow' });
      expect(resumed.step).toBe(1);
      resumed.log({ i: 1 });
      await resumed.finish();
      expect(readRows(join(runDir(store, id), 'history.jsonl')).map((r) => r.i)).toEqual([0, 1]);
    }, 60_000);
  }

  it('a preempting run can also be resumed directly after the signal', async () => {
    const store = tempStore();
    const child = startOwnerChild(store, 'preempt', 'pre-direct', 'default');
    await child.waitFor('ready');
    child.proc.kill('SIGTERM');
    await child.exited;
    const resumed = await quietInit(store, { project: 'own', id: 'pre-direct', resume: 'must' });
    expect(resumed.resumed).toBe(true);
    await resumed.finish();
  }, 60_000);
});
