// `--json` output of ls, show, export and tail: special numbers in runlog's one codec (docs/FORMAT.md, "Values"),
// never plain "NaN" strings or nulls, so a script reading them back with decodeJson gets every number exactly.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJson, init } from '@runlog/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runlog } from './runlog.js';

const dir = mkdtempSync(join(tmpdir(), 'runlog-cli-json-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let id = '';

const SPECIAL = { nan: Number.NaN, inf: Number.POSITIVE_INFINITY, ninf: Number.NEGATIVE_INFINITY, nzero: -0 };
const ENCODED = {
  nan: { _type: 'float', value: 'NaN' },
  inf: { _type: 'float', value: 'Infinity' },
  ninf: { _type: 'float', value: '-Infinity' },
  nzero: { _type: 'float', value: '-0' },
};

beforeAll(async () => {
  assertBuilt();
  const run = await init({
    dir,
    project: 'codec',
    name: 'odd',
    settings: { quiet: true, console: false, systemMetrics: false },
  });
  for (let i = 0; i < 3; i++) run.log({ ...SPECIAL, plain: i });
  run.summary.set('best', Number.NaN);
  await run.finish();
  id = run.id;
}, 60_000);

/** Every special value of `values` round-trips through decodeJson exactly. */
function expectSpecials(encoded: Record<string, unknown>): void {
  expect(encoded).toMatchObject(ENCODED);
  const decoded = decodeJson(JSON.stringify(encoded)) as Record<string, number>;
  for (const [key, value] of Object.entries(SPECIAL)) expect(Object.is(decoded[key], value), key).toBe(true);
}

describe('--json output uses the store codec for NaN, ±Infinity and -0', () => {
  it('runlog ls --json', async () => {
    const { code, stdout } = await runlog(['ls', '--dir', dir, '-p', 'codec', '--json']);
    expect(code).toBe(0);
    const [run] = JSON.parse(stdout) as Array<{ summary: Record<string, unknown> }>;
    expectSpecials(run.summary);
    expect(run.summary.best).toEqual(ENCODED.nan);
  });

  it('runlog show --json (the run and its series)', async () => {
    const { code, stdout } = await runlog(['show', id, '--dir', dir, '-p', 'codec', '--json']);
    expect(code).toBe(0);
    const shown = JSON.parse(stdout) as { summary: Record<string, unknown>; series: Record<string, unknown> };
    expectSpecials(shown.summary);
    expect(stdout).not.toMatch(/(?<!"value": )"(NaN|-?Infinity)"/); // no bare spelled-out numbers, series included
  });

  it('runlog export --format jsonl --json and runlog tail --json', async () => {
    const out = join(dir, 'odd.jsonl');
    const exported = await runlog(['export', id, '--dir', dir, '-p', 'codec', '--out', out, '--json']);
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ format: 'jsonl', rows: 3 });
    expectSpecials(JSON.parse(readFileSync(out, 'utf8').split('\n')[0]));
    const tail = await runlog(['tail', id, '--dir', dir, '-p', 'codec', '--history', '--json']);
    expect(tail.code).toBe(0);
    const rows = tail.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { row: Record<string, unknown> });
    expect(rows).toHaveLength(3);
    for (const { row } of rows) expectSpecials(row);
  });
});
