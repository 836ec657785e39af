import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertBuilt, runlog, startLiveRun, startRunlog, waitUntil } from './runlog.js';

describe('runlog tail', () => {
  it('follows a live run until it finishes: history rows and console lines, in order', async () => {
    assertBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'runlog-tail-'));
    // The trainer logs 5 rows, then waits until the tail shows them: a slow start of the CLI cannot miss the rest.
    const trainer = await startLiveRun(dir, 'tail01', '40', true);
    const tail = startRunlog(['tail', 'live/tail01', '--dir', dir, '--interval', '50']);
    await waitUntil(() => /^step 4\s/m.test(tail.output()), 30_000);
    trainer.stdin?.end('go\n');
    const result = await tail.done;
    await new Promise((r) => (trainer.exitCode === null ? trainer.on('exit', r) : r(undefined)));
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/run live\/tail01 finished/);
    const steps = [...result.stdout.matchAll(/^step (\d+)\s+loss (\S+)$/gm)].map((m) => Number(m[1]));
    expect(steps).toEqual([...Array(40).keys()]); // all 40: the first 5 shown as history, the rest followed
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(steps.at(-1)).toBe(39);
    expect(result.stdout).toMatch(/^epoch 39$/m);
    expect(result.stdout).toMatch(/^training done$/m);
  }, 60_000);

  it('prints JSON lines with --json and stops on SIGINT while the run goes on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runlog-tail-'));
    const trainer = await startLiveRun(dir, 'tail02', 'forever');
    try {
      const tail = startRunlog(['tail', 'tail02', '--dir', dir, '--json', '--history', '--interval', '50']);
      await waitUntil(() => (tail.output().match(/"type":"history"/g) ?? []).length >= 5);
      tail.child.kill('SIGINT');
      const result = await tail.done;
      expect(result.code).toBe(0);
      const lines = result.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines.every((l) => l.type === 'history' && typeof l.row._step === 'number')).toBe(true);
      expect(trainer.exitCode).toBeNull(); // the run itself was not touched
    } finally {
      trainer.kill('SIGKILL');
    }
  }, 60_000);

  it('refuses contradictory options', async () => {
    const result = await runlog(['tail', 'x', '--history', '--console']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--history and --console exclude each other/);
  });
});
