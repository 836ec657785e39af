import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init } from '@runlog/core';
import { type Dashboard, startDashboard } from '@runlog/ui';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SETTINGS } from './buildStore.js';

// #19 item 10: any web page can send this GET to 127.0.0.1; it must neither hang the server nor its other requests.
let dir: string;
let dashboard: Dashboard;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runlog-ui-regex-'));
  for (const name of [`${'a'.repeat(30)}c`, 'aab']) {
    const run = await init({ project: 'p', dir, name, settings: TEST_SETTINGS });
    await run.finish();
  }
  dashboard = await startDashboard({ dir, port: 0 });
});

afterAll(async () => {
  await dashboard?.close();
  await rm(dir, { recursive: true, force: true });
});

const runsMatching = (filters: unknown) =>
  fetch(new URL(`/api/projects/p/runs?filters=${encodeURIComponent(JSON.stringify(filters))}`, dashboard.url));

describe('a $regex run filter on the dashboard', () => {
  it('answers a catastrophic-backtracking pattern at once and stays responsive', async () => {
    const started = performance.now();
    const [evil, other] = await Promise.all([
      runsMatching({ name: { $regex: '^(a+)+b$' } }),
      fetch(new URL('/api/projects', dashboard.url)),
    ]);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(evil.status).toBe(200);
    expect(((await evil.json()) as { runs: Array<{ name: string }> }).runs.map((r) => r.name)).toEqual(['aab']);
    expect(other.status).toBe(200);
  });

  it('refuses an oversized pattern with 400 FILTER_INVALID', async () => {
    const response = await runsMatching({ name: { $regex: '(a|b)'.repeat(300) } });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain('FILTER_INVALID');
  });
});
