import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { main } from './train.js';

const store = await mkdtemp(join(tmpdir(), 'runlog-digits-'));
afterAll(() => rm(store, { recursive: true, force: true }));

it('the digits demo trains on wasm, checkpoints, and records everything (small sizes)', async () => {
  const result = await main({ samples: 300, testSamples: 60, epochs: 2, batchSize: 50, dir: store, verbose: false });
  expect(result.runPath).toMatch(/^digits\//);
  expect(result.testAccuracy).toBeGreaterThan(0.1); // better than chance needs more data; it ran end to end
  const run = JSON.parse(await readFile(join(result.runDir, 'run.json'), 'utf8'));
  expect(run.state).toBe('finished');
  expect(run.config).toMatchObject({ backend: 'wasm', epochs: 2 });
  const rows = (await readFile(join(result.runDir, 'history.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(rows.filter((r) => 'epoch/epoch' in r)).toHaveLength(2);
  expect(rows.some((r) => 'gradients/conv1/kernel' in r && 'parameters/conv1/kernel' in r)).toBe(true);
  expect(rows.some((r) => r.predictions?._type === 'table-file')).toBe(true);
  expect(existsSync(join(store, 'digits', 'artifacts', 'digits-cnn', 'aliases.json'))).toBe(true);
  expect(result.summary['test/acc']).toBe(result.testAccuracy);
});
