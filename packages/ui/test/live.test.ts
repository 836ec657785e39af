/// <reference lib="dom" />
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init, type Run } from '@runlog/core';
import { type Dashboard, startDashboard } from '@runlog/ui';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser, screenshotPath } from './browser.js';
import { TEST_SETTINGS } from './buildStore.js';
import { ensureAppBuilt } from './ensureAppBuilt.js';

let dir: string;
let run: Run;
let dashboard: Dashboard;
let browser: Browser;
let page: Page;

// The timeout covers a Vite build of the app when dist/app is missing or stale (slow on a busy machine).
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runlog-ui-live-'));
  await ensureAppBuilt();
  run = await init({
    project: 'live',
    dir,
    name: 'still-training',
    settings: { ...TEST_SETTINGS, flushIntervalMs: 50 },
  });
  for (let step = 0; step < 50; step++) run.log({ loss: 1 / (step + 1) });
  await run.flush();
  dashboard = await startDashboard({ dir, liveIntervalMs: 150 });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
  if (run && run.state === 'running') await run.finish();
  await rm(dir, { recursive: true, force: true });
});

it("shows a live run's new rows without reloading, fetching only the points after the last one", async () => {
  const seriesRequests: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/series')) seriesRequests.push(decodeURIComponent(request.url()));
  });
  await page.goto(`${dashboard.url}#/r/live/${run.id}/charts`);
  const chart = page.locator('.chart[data-key="loss"]');
  await expect.poll(() => chart.getAttribute('data-points'), { timeout: 20_000 }).toBe('50');

  for (let step = 50; step < 80; step++) run.log({ loss: 1 / (step + 1) });
  await run.flush();
  await expect.poll(() => chart.getAttribute('data-points'), { timeout: 20_000 }).toBe('80');
  expect(seriesRequests.some((url) => url.includes('after=49'))).toBe(true);

  // A new key logged by the live run gets its own chart.
  for (let step = 80; step < 90; step++) run.log({ loss: 1 / (step + 1), 'val/acc': step / 100 });
  await run.flush();
  await page.locator('.chart[data-key="val/acc"]').waitFor({ timeout: 20_000 });
  await expect.poll(() => chart.getAttribute('data-points'), { timeout: 20_000 }).toBe('90');
  await page.screenshot({ path: screenshotPath('live-run'), fullPage: true });
});

it('updates the state of a run in the runs table when it finishes', async () => {
  await page.goto(`${dashboard.url}#/p/live`);
  const state = page.locator(`tr[data-run="live/${run.id}"] .state`);
  await expect.poll(() => state.textContent(), { timeout: 20_000 }).toBe('running');
  await run.finish();
  await expect.poll(() => state.textContent(), { timeout: 20_000 }).toBe('finished');
});
