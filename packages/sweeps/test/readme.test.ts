import { execFile } from 'node:child_process';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileSweepState } from '@runlog/sweeps';
import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { assertBuilt } from './agents.js';
import { tempStore } from './tempStore.js';

let store: Awaited<ReturnType<typeof tempStore>>;
beforeAll(() => assertBuilt());
beforeEach(async () => {
  store = await tempStore();
});
afterEach(() => store.cleanup());

it("the README's first example runs as written (built package) and makes a 20-trial sweep", async () => {
  const readme = await readFile(join(import.meta.dirname, '..', 'README.md'), 'utf8');
  const example = readme.match(/```js\n([\s\S]*?)```/)![1];
  // Inside the package folder, so `@runlog/core` and `@runlog/sweeps` (self-reference) resolve to the builds.
  const file = join(import.meta.dirname, '..', `.readme-example-${process.pid}.mjs`);
  await writeFile(file, example);
  try {
    const output = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [file], { env: { ...process.env, RUNLOG_DIR: store.dir } }, (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout + stderr),
      ),
    );
    expect(output).not.toMatch(/Error/);
  } finally {
    await rm(file, { force: true });
  }
  const state = new FileSweepState(store.dir);
  const [id] = await readdir(join(store.dir, 'demo', 'sweeps'));
  const sweeps = await state.resolve(id);
  const { trials } = await state.snapshot(sweeps);
  expect(trials).toHaveLength(20);
  expect(trials.every((t) => t.state === 'finished' && typeof t.value === 'number')).toBe(true);
});
