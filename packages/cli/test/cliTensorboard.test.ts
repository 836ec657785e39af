import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, ROOT, runlog } from './runlog.js';

const GOLDEN = join(ROOT, 'packages/tensorboard/test/fixtures/python-logdir');
const work = mkdtempSync(join(tmpdir(), 'runlog-cli-tb-'));
const store = join(work, 'store');
afterAll(() => rmSync(work, { recursive: true, force: true }));

beforeAll(() => {
  assertBuilt();
});

/** TensorBoard's own reader, from the tensorboard package's test helpers (a venv it creates when missing). */
async function readWithTensorboard(logdir: string): Promise<Record<string, { scalars: Record<string, unknown[]> }>> {
  const { tensorboardPython } = await import('../../tensorboard/test/helpers/pythonTensorboard.js');
  const script = join(ROOT, 'packages/tensorboard/test/python/read_logdir.py');
  return JSON.parse(execFileSync(tensorboardPython(), [script, logdir], { encoding: 'utf8' })).runs;
}

describe('runlog import tensorboard / runlog export tensorboard', () => {
  it('imports a logdir, leaves it alone the second time, and exports the runs back for TensorBoard', async () => {
    const first = await runlog(['import', 'tensorboard', GOLDEN, '--project', 'tb', '--dir', store]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /^imported pytorch -> tb\/tb-[0-9a-f]{16} \(10 rows\): 1 audio left out; 1 pr_curves left out$/m,
    );
    expect(first.stdout.trim().split('\n')).toHaveLength(4);

    const again = await runlog(['import', 'tensorboard', GOLDEN, '--project', 'tb', '--dir', store, '--json']);
    expect(JSON.parse(again.stdout).map((r: { status: string }) => r.status)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
      'unchanged',
    ]);
    const listed = await runlog(['ls', '--dir', store, '--json']);
    expect(JSON.parse(listed.stdout)).toHaveLength(4);

    const logdir = join(work, 'tb');
    const exported = await runlog(['export', 'tensorboard', '--project', 'tb', '--logdir', logdir, '--dir', store]);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toMatch(
      / -> .*\/tfjs\/events\.out\.tfevents\.\d+\.runlog\.tb-[0-9a-f]+ \(30 rows, 0 images\)/,
    );
    const tb = await readWithTensorboard(logdir);
    expect(Object.keys(tb).sort()).toEqual(['keras', 'pytorch', 'restart', 'tfjs']);
    expect(tb.tfjs.scalars['val/epoch_loss']).toHaveLength(3);
    expect(tb.keras.scalars['validation/evaluation_loss_vs_iterations']).toHaveLength(5);
  }, 240_000); // imports, exports and TensorBoard's Python reader: slow on a loaded machine

  it('exports runs named on the command line', async () => {
    const listed = JSON.parse((await runlog(['ls', '--dir', store, '--json', '-p', 'tb'])).stdout) as Array<{
      id: string;
      name: string;
    }>;
    const restart = listed.find((run) => run.name === 'restart');
    const result = await runlog([
      'export',
      'tensorboard',
      `tb/${restart?.id}`,
      '-l',
      join(work, 'one'),
      '--dir',
      store,
      '--json',
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject([{ run: `tb/${restart?.id}`, rows: 8, images: 0 }]);
  }, 120_000);

  it('usage errors exit 2', async () => {
    expect((await runlog(['export', 'tensorboard', '--project', 'tb', '--dir', store])).code).toBe(2);
    expect((await runlog(['export', 'tensorboard', '--logdir', work, '--dir', store])).code).toBe(2);
    expect((await runlog(['import', 'tensorboard', GOLDEN, '--dir', store])).code).toBe(2);
    expect((await runlog(['import', 'wandb', GOLDEN])).code).toBe(2);
    const missing = await runlog(['import', 'tensorboard', join(work, 'nope'), '-p', 'x', '--dir', store]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('RUN_NOT_FOUND');
  });
});
