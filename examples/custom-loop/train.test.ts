import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { main } from './train.js';

const store = await mkdtemp(join(tmpdir(), 'runlog-loop-'));
afterAll(() => rm(store, { recursive: true, force: true }));

it('the custom-loop example logs loss and watched gradients in the same rows', async () => {
  const result = await main({ samples: 200, epochs: 2, batchSize: 50, dir: store, verbose: false });
  const rows = (await readFile(join(result.runDir, 'history.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  const lossRows = rows.filter((row) => typeof row['train/loss'] === 'number');
  expect(lossRows).toHaveLength(result.steps);
  // logFreq 5 over 8 steps: optimizer steps 0 and 5 carry histograms next to their loss
  const withGradients = lossRows.filter((row) => Object.keys(row).some((k) => k.startsWith('gradients/')));
  expect(withGradients.map((row) => lossRows.indexOf(row))).toEqual([0, 5]);
  expect(Number.isFinite(result.finalLoss)).toBe(true);
});
