import { rmSync } from 'node:fs';
import { Api, FilterError } from '@runlog/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quietInit, tempStore } from '../helpers.js';

// #19 item 10: a backtracking pattern must not pin the process that reads the runs.
let dir: string;
// 30 letters: enough for a backtracking engine to take tens of seconds (2^30 paths), none for RE2.
const longName = `${'a'.repeat(30)}c`;

beforeAll(async () => {
  dir = tempStore('runlog-regex-');
  for (const name of [longName, 'aab', 'Beta']) {
    const run = await quietInit(dir, { project: 'p', name });
    await run.finish();
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const names = async (filters: Record<string, unknown>) =>
  (await new Api({ dir }).runs('p', { filters }).toArray()).map((r) => r.name).sort();

describe('$regex filters run in linear time', () => {
  it('answers ^(a+)+b$ on a name of 30 letters a at once', async () => {
    const started = performance.now();
    expect(await names({ name: { $regex: '^(a+)+b$' } })).toEqual(['aab']);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('keeps flags and RegExp literals working', async () => {
    expect(await names({ name: { $regex: '^beta$', $options: 'i' } })).toEqual(['Beta']);
    expect(await names({ name: /^B/ })).toEqual(['Beta']);
  });

  it('refuses long patterns, unknown flags and what RE2 cannot run, as FILTER_INVALID', async () => {
    for (const filter of [
      { name: { $regex: 'a'.repeat(1001) } },
      { name: { $regex: 'a', $options: 'x' } },
      { name: { $regex: '(a)\\1' } },
      { name: { $regex: 'a(?=b)' } },
    ]) {
      const error = await names(filter).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FilterError);
      expect((error as FilterError).code).toBe('FILTER_INVALID');
    }
  });
});
