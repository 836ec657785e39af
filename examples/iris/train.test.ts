import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { main } from './train.js';

const store = await mkdtemp(join(tmpdir(), 'runlog-iris-'));
afterAll(() => rm(store, { recursive: true, force: true }));

it('the iris example learns and records its run', async () => {
  const result = await main({ epochs: 25, dir: store, verbose: false });
  expect(result.testAccuracy).toBeGreaterThan(0.8);
  const rows = (await readFile(join(result.runDir, 'history.jsonl'), 'utf8')).trim().split('\n');
  expect(rows.filter((line) => line.includes('"epoch/epoch"'))).toHaveLength(25);
  const aliases = JSON.parse(await readFile(join(store, 'iris', 'artifacts', 'iris-mlp', 'aliases.json'), 'utf8'));
  expect(aliases.best).toBe(aliases.latest); // saveBestOnly: the newest version is the best one
});
