import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Api } from '@runlog/core';
import { FileSweepState } from '@runlog/sweeps';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assertBuilt, runRunlog, startRunlog, TRIAL, waitFor } from './agents.js';
import { tempStore } from './tempStore.js';

let store: Awaited<ReturnType<typeof tempStore>>;
beforeAll(() => assertBuilt());
beforeEach(async () => {
  store = await tempStore();
});
afterEach(() => store.cleanup());

async function createSweep(config: Record<string, unknown>): Promise<string> {
  const file = join(store.dir, 'sweep.json');
  await writeFile(file, JSON.stringify({ program: TRIAL, ...config }));
  const created = await runRunlog(['sweep', file, '--project', 'multi', '--dir', store.dir]);
  expect(created.code).toBe(0);
  return created.output.split('\n')[0].trim();
}

describe('several agent processes share one sweep', () => {
  it('grid 3 x 2 x 2 with three concurrent agents: 12 trials, each combination exactly once', async () => {
    const id = await createSweep({
      method: 'grid',
      metric: { name: 'loss' },
      parameters: { a: { values: [1, 2, 3] }, b: { values: ['x', 'y'] }, c: { values: [true, false] } },
    });
    const agents = [0, 1, 2].map(() => startRunlog(['agent', id, '--dir', store.dir], { TRIAL_MS: '150' }));
    const exits = await Promise.all(agents.map((a) => a.done));
    expect(exits.map((e) => e.code)).toEqual([0, 0, 0]);
    const state = new FileSweepState(store.dir);
    const { trials } = await state.snapshot(await state.resolve(id));
    expect(trials).toHaveLength(12);
    expect(trials.map((t) => t.gridIndex).sort((x, y) => x! - y!)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(new Set(trials.map((t) => JSON.stringify(t.params))).size).toBe(12);
    expect(trials.every((t) => t.state === 'finished')).toBe(true);
    // Every agent took part, and every trial is a real run of the sweep with its parameters as config.
    expect(new Set(trials.map((t) => t.agentId)).size).toBe(3);
    const api = new Api({ dir: store.dir });
    for (const trial of trials) {
      const run = await api.run(`multi/${trial.id}`);
      expect(run.state).toBe('finished');
      expect(run.config).toEqual(trial.params);
      const document = JSON.parse(await readFile(join(store.dir, 'multi', 'runs', trial.id, 'run.json'), 'utf8'));
      expect(document.sweepId).toBe(id);
      expect(trial.value).toBe(trial.params.a);
    }
  });

  it('an agent killed mid-trial: its trial reads crashed, is not counted against run_cap, the others go on', async () => {
    const id = await createSweep({
      method: 'random',
      run_cap: 4,
      metric: { name: 'loss' },
      parameters: { a: { min: 0, max: 1 } },
    });
    const doomed = startRunlog(['agent', id, '--dir', store.dir], { TRIAL_MS: '20000', TRIAL_STEPS: '100' });
    await waitFor(() => doomed.output().includes('STARTED'));
    process.kill(-doomed.child.pid!, 'SIGKILL'); // the agent and its trial, as a lost machine or kill -9 of the job
    await doomed.done;
    const survivor = await runRunlog(['agent', id, '--dir', store.dir], { TRIAL_MS: '50' });
    expect(survivor.code).toBe(0);
    const state = new FileSweepState(store.dir);
    const { trials } = await state.snapshot(await state.resolve(id));
    const crashed = trials.filter((t) => t.state === 'crashed');
    expect(crashed).toHaveLength(1);
    expect(crashed[0].stopReason).toMatch(/its agent \(pid \d+ on .*\) died/);
    expect(trials.filter((t) => t.state === 'finished')).toHaveLength(4);
    const run = await new Api({ dir: store.dir }).run(`multi/${crashed[0].id}`);
    expect(run.state).toBe('crashed');
  });

  it('Ctrl-C to an agent: its trial is recorded as killed ("the agent was interrupted") and the agent exits 130', async () => {
    const id = await createSweep({ method: 'random', metric: { name: 'loss' }, parameters: { a: { min: 0, max: 1 } } });
    const agent = startRunlog(['agent', id, '--dir', store.dir], { TRIAL_MS: '20000', TRIAL_STEPS: '100' });
    await waitFor(() => agent.output().includes('STARTED'));
    process.kill(agent.child.pid!, 'SIGINT');
    expect((await agent.done).code).toBe(130);
    const state = new FileSweepState(store.dir);
    const { trials } = await state.snapshot(await state.resolve(id));
    expect(trials).toHaveLength(1);
    expect(trials[0]).toMatchObject({ state: 'killed', stopReason: 'the agent was interrupted' });
    expect((await new Api({ dir: store.dir }).run(`multi/${trials[0].id}`)).state).toBe('killed');
  });

  it('Hyperband through `runlog agent`: a trial that honours the stop request ends itself, one that ignores it gets SIGTERM', async () => {
    const id = await createSweep({
      method: 'grid',
      metric: { name: 'loss' },
      parameters: { level: { values: [1, 5] }, obey: { values: [true, false] } },
      early_terminate: { type: 'hyperband', min_iter: 2, eta: 2 },
    });
    const result = await runRunlog(['agent', id, '--dir', store.dir, '--grace', '400'], {
      TRIAL_MS: '2000',
      TRIAL_STEPS: '20',
    });
    expect(result.code).toBe(0);
    const state = new FileSweepState(store.dir);
    const { trials } = await state.snapshot(await state.resolve(id));
    const byParams = (level: number, obey: boolean) =>
      trials.find((t) => t.params.level === level && t.params.obey === obey)!;
    expect(byParams(1, true).state).toBe('finished');
    expect(byParams(1, false).state).toBe('finished');
    const polite = byParams(5, true);
    const stubborn = byParams(5, false);
    expect(polite).toMatchObject({ state: 'stopped', exitCode: 0 });
    expect(polite.stopReason).toMatch(/^hyperband: loss .* is worse than the bracket's threshold/);
    expect(polite.stopReason).not.toMatch(/SIGTERM/);
    expect(polite.steps).toBeLessThan(20);
    expect(stubborn.state).toBe('stopped');
    expect(stubborn.stopReason).toMatch(/did not end within 400 ms and got SIGTERM/);
    const api = new Api({ dir: store.dir });
    expect((await api.run(`multi/${polite.id}`)).state).toBe('finished');
    expect((await api.run(`multi/${stubborn.id}`)).state).toBe('killed');
  });
});
