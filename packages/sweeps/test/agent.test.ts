import { init, type Run } from '@runlog/core';
import { agent, controlSweep, FileSweepState, sweep, sweepReport } from '@runlog/sweeps';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QUIET, tempStore } from './tempStore.js';

let store: Awaited<ReturnType<typeof tempStore>>;
beforeEach(async () => {
  store = await tempStore();
});
afterEach(() => store.cleanup());

const snapshot = async (id: string) => {
  const state = new FileSweepState(store.dir);
  return state.snapshot(await state.resolve(id));
};

describe('agent() in code', () => {
  it('gives each trial its parameters (nested ones nested) and the sweep id; run_cap holds; the metric is recorded', async () => {
    const id = await sweep(
      {
        method: 'random',
        seed: 1,
        run_cap: 5,
        metric: { name: 'val/loss', goal: 'minimize' },
        parameters: {
          lr: { distribution: 'log_uniform_values', min: 1e-4, max: 1e-1 },
          optimizer: { parameters: { name: { values: ['adam', 'sgd'] }, momentum: { value: 0.9 } } },
        },
      },
      { project: 'code', dir: store.dir },
    );
    const seen: Array<{ run: Run; config: Record<string, unknown> }> = [];
    const result = await agent(
      id,
      async () => {
        const run = await init({ project: 'ignored', config: { batch: 32 }, settings: QUIET });
        seen.push({ run, config: run.config.toJSON() });
        const lr = run.config.get('lr') as number;
        for (let epoch = 0; epoch < 3; epoch++) run.log({ 'val/loss': lr * (3 - epoch) });
        await run.finish();
      },
      { dir: store.dir },
    );
    expect(result.trials).toHaveLength(5);
    expect(result.reason).toBe('run_cap 5 reached');
    for (const { run, config } of seen) {
      expect(run.sweepId).toBe(id);
      expect(run.project).toBe('code');
      expect(config).toMatchObject({ batch: 32, optimizer: { momentum: 0.9 } });
      expect(['adam', 'sgd']).toContain((config.optimizer as Record<string, unknown>).name);
    }
    const { trials } = await snapshot(id);
    for (const trial of trials) {
      expect(trial).toMatchObject({ state: 'finished', steps: 3, exitCode: 0 });
      expect(trial.value).toBeCloseTo((trial.params.lr as number) * 1, 12); // the best (last) of the three
    }
    const report = sweepReport(await snapshot(id));
    expect(report.state).toBe('finished');
    expect(report.best?.value).toBe(Math.min(...trials.map((t) => t.value!)));
    expect(report.parameters.find((p) => p.key === 'lr')?.correlation).toBeCloseTo(1, 6);
    // A run outside a sweep has no sweep id and no stop request.
    const plain = await init({ project: 'code', dir: store.dir, settings: QUIET });
    expect(plain.sweepId).toBeNull();
    expect(plain.stopRequested).toBe(false);
    await plain.finish();
  });

  it('a trial function that throws makes a failed trial and the sweep goes on; one that never calls init() fails too', async () => {
    const id = await sweep(
      { method: 'grid', parameters: { i: { values: [0, 1, 2] } } },
      { project: 'code', dir: store.dir },
    );
    let calls = 0;
    await agent(
      id,
      async () => {
        calls++;
        if (calls === 3) return;
        const run = await init({ settings: QUIET });
        run.log({ x: 1 });
        if (run.config.get('i') === 0) throw new Error('diverged');
      },
      { dir: store.dir },
    );
    const { trials } = await snapshot(id);
    expect(trials.map((t) => t.state)).toEqual(['failed', 'finished', 'failed']);
    expect(trials[0].stopReason).toBe('the trial function threw: diverged');
    expect(trials[2].stopReason).toBe('the trial function never called init()');
  });

  it('pause makes agents wait, resume lets them go on, cancel stops the running trial and the sweep', async () => {
    const id = await sweep(
      { method: 'random', metric: { name: 'loss' }, parameters: { a: { min: 0, max: 1 } } },
      { project: 'code', dir: store.dir },
    );
    await controlSweep(id, 'pause', { dir: store.dir });
    let started = 0;
    const running = agent(
      id,
      async () => {
        started++;
        const run = await init({ settings: QUIET });
        // The second trial runs until the sweep is cancelled.
        for (let step = 0; step < 10_000 && !run.stopRequested; step++) {
          run.log({ loss: step });
          await new Promise((r) => setTimeout(r, started === 1 ? 0 : 10));
          if (started === 1 && step === 3) break;
        }
        await run.finish();
      },
      { dir: store.dir, pollMs: 50 },
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(started).toBe(0);
    expect((await snapshot(id)).trials).toHaveLength(0);
    await expect(controlSweep(id, 'resume', { dir: store.dir })).resolves.toMatchObject({ state: 'running' });
    const start = Date.now();
    while (started < 2 && Date.now() - start < 10_000) await new Promise((r) => setTimeout(r, 20));
    await controlSweep(id, 'cancel', { dir: store.dir });
    const result = await running;
    expect(result.reason).toBe('the sweep was cancelled');
    const { trials, sweep: record } = await snapshot(id);
    expect(record.state).toBe('canceled');
    expect(trials.map((t) => t.state)).toEqual(['finished', 'stopped']);
    expect(trials[1].stopReason).toBe('the sweep was cancelled');
    await expect(controlSweep(id, 'resume', { dir: store.dir })).rejects.toMatchObject({ code: 'SWEEP_STATE' });
  });

  it('stop lets the running trial finish and starts no new one; an unknown sweep is SWEEP_NOT_FOUND', async () => {
    const id = await sweep(
      { method: 'random', parameters: { a: { min: 0, max: 1 } } },
      { project: 'code', dir: store.dir },
    );
    const result = await agent(
      id,
      async () => {
        const run = await init({ settings: QUIET });
        await controlSweep(`code/${id}`, 'stop', { dir: store.dir });
        run.log({ loss: 1 });
        await run.finish();
      },
      { dir: store.dir, pollMs: 20 },
    );
    expect(result.reason).toBe('the sweep was stopped');
    expect(result.trials.map((t) => t.state)).toEqual(['finished']);
    await expect(agent('nosuch', () => {}, { dir: store.dir })).rejects.toMatchObject({ code: 'SWEEP_NOT_FOUND' });
    await expect(
      sweep({ method: 'grid', parameters: { a: { min: 0.5, max: 1 } } }, { dir: store.dir }),
    ).rejects.toMatchObject({
      code: 'SWEEP_CONFIG_INVALID',
      field: 'parameters.a.distribution',
    });
  });
});
