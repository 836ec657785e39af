/// <reference lib="dom" />
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init } from '@runlog/core';
import { agent, sweep } from '@runlog/sweeps';
import { type Dashboard, startDashboard } from '@runlog/ui';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath } from './browser.js';
import { ensureAppBuilt } from './ensureAppBuilt.js';

let dir: string;
let dashboard: Dashboard;
let browser: Browser;
let page: Page;
let sweepId: string;
const SETTINGS = { systemMetrics: false, console: false, quiet: true };

/** loss = (lr - 0.1)^2 * 100 + units / 100, smallest at lr 0.1, units 8; the optimizer does not matter. */
const loss = (lr: number, units: number) => (lr - 0.1) ** 2 * 100 + units / 100;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runlog-ui-sweeps-'));
  sweepId = await sweep(
    {
      method: 'grid',
      name: 'grid-demo',
      metric: { name: 'val/loss', goal: 'minimize' },
      parameters: {
        lr: { values: [0.01, 0.1, 0.3] },
        units: { values: [8, 32] },
        optimizer: { values: ['adam', 'sgd'] },
      },
    },
    { project: 'sweepy', dir },
  );
  await Promise.all([
    ensureAppBuilt(),
    agent(
      sweepId,
      async () => {
        const run = await init({ settings: SETTINGS });
        const value = loss(run.config.get('lr') as number, run.config.get('units') as number);
        for (let epoch = 3; epoch >= 1; epoch--) run.log({ 'val/loss': value * epoch });
        await run.finish();
      },
      { dir },
    ),
  ]);
  dashboard = await startDashboard({ dir, port: 0 });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1300, height: 1100 } });
  page.on('pageerror', (error) => console.error('page error:', error.message));
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the sweep page in a real browser', () => {
  it('lists the sweeps of a project from its page', async () => {
    await page.goto(`${dashboard.url}#/p/sweepy`);
    await page.click('a[href="#/sw/sweepy"]');
    await page.waitForSelector('tr[data-sweep]');
    expect(await page.textContent(`tr[data-sweep="${sweepId}"]`)).toMatch(
      /grid-demo.*grid.*minimize val\/loss.*finished.*12/,
    );
  });

  it('shows the trials with the best one highlighted, parallel coordinates and parameter importance', async () => {
    await page.goto(`${dashboard.url}#/s/sweepy/${sweepId}`);
    await page.waitForSelector('table.sweep-trials tbody tr');
    expect(await page.locator('table.sweep-trials tbody tr').count()).toBe(12);
    // The best trial: lr 0.1, units 8 (either optimizer; the first in grid order).
    const best = page.locator('table.sweep-trials tr.best');
    expect(await best.count()).toBe(1);
    expect(await best.locator('td.metric').textContent()).toBe(String(loss(0.1, 8)));
    expect(await page.textContent('p.sweep-best')).toContain(`val/loss ${loss(0.1, 8)}`);
    // One line per trial, axes for the three parameters and the metric, the best line drawn apart.
    expect(await page.locator('svg.parallel-coordinates polyline.trial-line').count()).toBe(12);
    expect(await page.locator('svg.parallel-coordinates polyline.best').count()).toBe(1);
    expect(
      await page.$$eval('svg.parallel-coordinates g.axis', (axes) => axes.map((a) => a.getAttribute('data-axis'))),
    ).toEqual(['lr', 'optimizer', 'units', '__metric']);
    // lr explains the loss, the optimizer nothing.
    const rows = await page.$$eval('table.sweep-importance tbody tr', (trs) =>
      trs.map((tr) => tr.getAttribute('data-parameter')),
    );
    expect(rows[0]).toBe('lr');
    expect(rows.at(-1)).toBe('optimizer');
    await page.screenshot({ path: screenshotPath('sweep-page'), fullPage: true });
    // A trial links to its run's page.
    await page.click('table.sweep-trials tr.best td a');
    await page.waitForFunction(() => location.hash.startsWith('#/r/sweepy/'));
  });

  it('answers an unknown sweep with 404 and a bad id with 400', async () => {
    expect((await fetch(`${dashboard.url}api/projects/sweepy/sweeps/nosuch`)).status).toBe(404);
    expect((await fetch(`${dashboard.url}api/projects/sweepy/sweeps/a%20b`)).status).toBe(400);
    const list = (await (await fetch(`${dashboard.url}api/projects/nothing/sweeps`)).json()) as { sweeps: unknown[] };
    expect(list.sweeps).toEqual([]);
  });
});
