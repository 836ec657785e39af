import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assertBuilt, runRunlog, TRIAL } from './agents.js';
import { tempStore } from './tempStore.js';

let store: Awaited<ReturnType<typeof tempStore>>;
beforeAll(() => assertBuilt());
beforeEach(async () => {
  store = await tempStore();
});
afterEach(() => store.cleanup());

const runlog = (...args: string[]) => runRunlog([...args, '--dir', store.dir], { NO_COLOR: '1', TRIAL_MS: '20' });

describe('runlog sweep', () => {
  it('refuses an invalid config naming the field, and creates nothing', async () => {
    const file = join(store.dir, 'bad.yaml');
    await writeFile(file, 'method: grid\nparameters:\n  lr:\n    min: 0.5\n    max: 0.1\n');
    const result = await runlog('sweep', file, '--project', 'cli');
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/SWEEP_CONFIG_INVALID: sweep config: parameters\.lr\.max: must be greater than min/);
    expect(await readdir(store.dir)).toEqual(['bad.yaml']);
  });

  it('creates a sweep (printing its id), shows it, and pauses, resumes, stops or cancels it', async () => {
    const file = join(store.dir, 'sweep.yaml');
    await writeFile(
      file,
      `method: grid\nname: cli-demo\nmetric: { name: loss, goal: minimize }\nparameters:\n  a: { values: [3, 1, 2] }\nprogram: ${TRIAL}\n`,
    );
    const created = await runlog('sweep', file, '--project', 'cli');
    expect(created.code).toBe(0);
    const id = created.output.split('\n')[0].trim();
    expect(id).toMatch(/^[a-z0-9]{8}$/);
    expect((await runlog('sweep', '--pause', id)).output).toContain(`sweep cli/${id} is paused`);
    expect((await runlog('sweep', 'show', id)).output).toMatch(/state\s+paused/);
    expect((await runlog('sweep', '--resume', id)).output).toContain('is running');
    expect((await runlog('agent', `cli/${id}`, '--count', '3')).code).toBe(0);
    const shown = await runlog('sweep', 'show', `cli/${id}`);
    expect(shown.code).toBe(0);
    expect(shown.output).toMatch(/method\s+grid\s+metric loss \(minimize\)/);
    expect(shown.output).toMatch(/trials 3 \(3 finished\)/);
    // The best trial (a = 1, grid point 1) is marked with a star.
    expect(shown.output).toMatch(/\*1\s+\S+\s+finished\s+1\s+1/);
    expect(shown.output).toMatch(/PARAMETER\s+IMPORTANCE/);
    const json = JSON.parse((await runlog('sweep', 'show', id, '--json')).output);
    expect(json.best.params).toEqual({ a: 1 });
    expect((await runlog('sweep', '--stop', id)).output).toContain('is finished');
    const after = await runlog('agent', id);
    expect(after.output).toContain('done: the sweep was stopped');
    expect((await runlog('sweep', '--cancel', id)).output).toContain('is canceled');
    const resumed = await runlog('sweep', '--resume', id);
    expect(resumed.code).toBe(1);
    expect(resumed.output).toMatch(/SWEEP_STATE/);
    expect((await runlog('sweep', '--pause', '--stop', id)).code).toBe(2);
    expect((await runlog('agent', 'nosuch')).output).toMatch(/SWEEP_NOT_FOUND/);
  });
});
