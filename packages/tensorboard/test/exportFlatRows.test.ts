import { join } from 'node:path';
import { Api } from '@runlog/core';
import { describe, expect, it } from 'vitest';
import { exportRuns } from '../src/index.js';
import { runPythonJson } from './helpers/pythonTensorboard.js';
import { quietInit, type TensorboardRunView, tempDir } from './helpers/store.js';

const store = tempDir('runlog-tb-export-flat-');

// Export reads rows of numbers from the history's bytes (HistoryScan.visit), not through JSON.parse: every value
// must still reach TensorBoard as the double that was logged, at its step, beside rows that are not flat.
describe('runlog export of rows of numbers -> TensorBoard reads every double exactly', () => {
  it('long digit strings, exponents, negatives, integers above 2^53 and mixed rows', async () => {
    const run = await quietInit(store, { name: 'flat' });
    const expected: Record<string, Array<[number, number | string]>> = { a: [], b: [], c: [], d: [], e: [] };
    let step = 0;
    for (let i = 0; i < 3000; i++) {
      const row = {
        a: 1 / (i + 1), // 16-17 significant digits
        b: i * 1e-6, // 0.000123 and 0.12345600000000001
        c: -i / 3 + 1e21 * (i % 7 === 0 ? 1 : 0), // negatives, 1e+21 forms
        d: i * 2 ** 54 + 1, // integers beyond 2^53
        e: Math.sin(i) * 10 ** ((i % 40) - 20),
      };
      if (i % 500 === 250)
        run.log({ ...row, label: `row ${i}` }); // a string: not flat, parsed
      else if (i === 1234)
        run.log({ ...row, x: Number.NaN }); // runlog's NaN encoding: parsed
      else run.log(row);
      for (const key of Object.keys(expected) as Array<keyof typeof row>) expected[key].push([step, row[key]]);
      step++;
    }
    await run.finish();

    const view = await new Api({ dir: store }).run(run.path);
    const logdir = join(store, 'logdir');
    const [exported] = await exportRuns([view], { logdir });
    expect(exported.rows).toBe(3000);
    const tb = runPythonJson<{ runs: Record<string, TensorboardRunView> }>('read_logdir.py', [logdir]).runs.flat;
    for (const key of Object.keys(expected)) expect(tb.scalars[key], key).toEqual(expected[key]);
    expect(tb.scalars.x).toEqual([[1234, 'nan']]);
  });
});
