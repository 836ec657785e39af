import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api } from '@runlog/core';
import { FileSweepState } from '@runlog/sweeps';
import { afterAll, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'packages', 'cli', 'dist', 'bin.js');
const store = await mkdtemp(join(tmpdir(), 'runlog-example-sweep-'));
afterAll(() => rm(store, { recursive: true, force: true }));

/** The built `runlog` binary, from the repository root (the sweep's program path is relative to it). */
function runlog(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args, '--dir', store], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += String(d);
    });
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

it('the iris sweep example runs trials of a TypeScript program through runlog agent', async () => {
  const created = await runlog('sweep', 'examples/sweep/sweep.yaml', '--project', 'iris-sweep');
  expect(created.code).toBe(0);
  const id = created.stdout.trim();
  const agent = await runlog('agent', `iris-sweep/${id}`, '--count', '3');
  expect(agent.code, agent.stderr).toBe(0);
  const state = new FileSweepState(store);
  const { trials } = await state.snapshot(await state.resolve(id));
  expect(trials).toHaveLength(3);
  const api = new Api({ dir: store });
  for (const trial of trials) {
    expect(['finished', 'stopped']).toContain(trial.state);
    expect(trial.value).toBeGreaterThan(0);
    const run = await api.run(`iris-sweep/${trial.id}`);
    expect(run.config).toMatchObject({
      epochs: 20,
      hidden: trial.params.hidden,
      learningRate: trial.params.learningRate,
    });
    // A finished trial logged every epoch; a stopped one ended early, and says why.
    if (trial.state === 'finished') expect(trial.steps).toBe(20);
    else expect(trial.stopReason).toMatch(/^hyperband: epoch\/val_loss/);
  }
  const shown = await runlog('sweep', 'show', `iris-sweep/${id}`);
  expect(shown.stdout).toMatch(/method\s+bayes\s+metric epoch\/val_loss \(minimize\)/);
}, 180_000);
