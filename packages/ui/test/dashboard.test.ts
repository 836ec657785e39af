/// <reference lib="dom" />
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init } from '@runlog/core';
import { type Dashboard, startDashboard } from '@runlog/ui';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath } from './browser.js';
import { buildStore, TEST_SETTINGS, type TestStore } from './buildStore.js';
import { ensureAppBuilt } from './ensureAppBuilt.js';

interface SeriesBody {
  buckets: number;
  series: Array<{ run: string; x: number[]; y: number[]; total: number; downsampled: boolean }>;
}

let dir: string;
let store: TestStore;
let dashboard: Dashboard;
let browser: Browser;
let page: Page;

// The timeout covers a Vite build of the app when dist/app is missing or stale (slow on a busy machine).
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runlog-ui-'));
  const [built] = await Promise.all([buildStore(dir), ensureAppBuilt()]);
  store = built;
  dashboard = await startDashboard({ dir });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('pageerror', (error) => console.error('page error:', error.message));
}, 300_000);

/** Drags across a chart from one fraction of its width to another; resolves to the zoomed series response. */
async function zoomInto(chart: Locator, from: number, to: number): Promise<unknown> {
  const zoomed = page.waitForResponse((r) => r.url().includes('/api/series') && r.url().includes('xmin='));
  const box = (await chart.locator('.u-over').boundingBox())!;
  await page.mouse.move(box.x + box.width * from, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * to, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  return (await zoomed).json();
}

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the dashboard in a real browser', () => {
  it('lists the runs of a project, sorts and filters them', async () => {
    await page.goto(`${dashboard.url}#/p/${store.project}`);
    await page.waitForSelector('tr[data-run]');
    const names = await page.$$eval('tr[data-run] a.run-link', (links) => links.map((a) => a.textContent));
    expect(names.sort()).toEqual(['cnn-train', 'media-showcase', 'mlp-small', 'prepare-data', 'tfjs-mlp']);
    await page.click('th[data-column="name"]');
    expect(await page.$$eval('tr[data-run] a.run-link', (links) => links.map((a) => a.textContent))).toEqual([
      'cnn-train',
      'media-showcase',
      'mlp-small',
      'prepare-data',
      'tfjs-mlp',
    ]);
    await page.fill('input.run-filter', 'small');
    expect(await page.$$eval('tr[data-run]', (rows) => rows.map((r) => r.getAttribute('data-run')))).toEqual([
      `${store.project}/${store.otherId}`,
    ]);
    await page.fill('input.run-filter', '');
    // The read API's filter and order, typed in the page.
    await page.fill('input.server-filter', '{"config.lr":{"$lt":0.005}}');
    await page.press('input.server-filter', 'Enter');
    await expect.poll(() => page.locator('tr[data-run]').count()).toBe(1);
    expect(await page.textContent('tr[data-run] a.run-link')).toBe('cnn-train');
    await page.fill('input.server-filter', '{"config.lr":{"$lt":');
    await page.press('input.server-filter', 'Enter');
    await expect.poll(() => page.textContent('p.error')).toMatch(/JSON/);
    await page.fill('input.server-filter', '{"nonsense":1}');
    await page.press('input.server-filter', 'Enter');
    await expect.poll(() => page.textContent('p.error')).toMatch(/nonsense/);
    await page.fill('input.server-filter', '');
    await page.press('input.server-filter', 'Enter');
    await expect.poll(() => page.locator('tr[data-run]').count()).toBe(5);
    // Config and summary columns are there by default.
    const headers = await page.$$eval('th[data-column]', (ths) => ths.map((th) => th.getAttribute('data-column')));
    expect(headers).toContain('config.lr');
    expect(headers).toContain('summary.loss');
    await page.screenshot({ path: screenshotPath('project'), fullPage: true });
  });

  it('keeps only the rows in view of a long runs table in the page, and scrolls through all of them', async () => {
    for (let i = 0; i < 150; i++) {
      const run = await init({
        project: 'many',
        dir,
        name: `sweep-${String(i).padStart(3, '0')}`,
        settings: TEST_SETTINGS,
      });
      run.log({ loss: 1 / (i + 1) });
      await run.finish();
    }
    await page.goto(`${dashboard.url}#/p/many`);
    await page.waitForSelector('.runs-table[data-rendered="150"]');
    await page.click('th[data-column="name"]');
    const inDom = await page.locator('tr[data-run]').count();
    expect(inDom).toBeLessThan(80);
    expect(await page.textContent('tr[data-run] a.run-link')).toBe('sweep-000');
    await page.locator('.table-scroll').evaluate((box) => box.scrollTo(0, box.scrollHeight));
    await expect.poll(() => page.locator('tr[data-run] a.run-link').last().textContent()).toBe('sweep-149');
    expect(await page.textContent('.run-count')).toBe('150 of 150 runs');
  });

  it('draws a downsampled chart that keeps the extremes and zooms to full detail', async () => {
    const response = page.waitForResponse(
      (r) => r.url().includes('/api/series') && r.url().includes('key=loss') && r.url().includes(store.trainId),
    );
    await page.goto(`${dashboard.url}#/r/${store.project}/${store.trainId}/charts`);
    const body = (await (await response).json()) as SeriesBody;
    const chart = page.locator('.chart[data-key="loss"]');
    await chart.locator('canvas').waitFor();
    const [series] = body.series;
    expect(series.total).toBe(store.trainSteps);
    expect(series.downsampled).toBe(true);
    expect(series.x.length).toBeLessThanOrEqual(4 * body.buckets);
    expect(series.x.length).toBeGreaterThan(body.buckets);
    // M4 keeps the spike logged at step 4321.
    expect(series.x).toContain(4321);
    expect(Math.max(...series.y)).toBeGreaterThan(5);
    expect(await chart.getAttribute('data-points')).toBe(String(series.x.length));

    // Drag over a narrow range: the server sends every point of it.
    const detail = (await zoomInto(chart, 0.3, 0.34)) as SeriesBody;
    expect(detail.series[0].downsampled).toBe(false);
    expect(detail.series[0].x.length).toBe(detail.series[0].total);
    expect(detail.series[0].x.length).toBeGreaterThan(50);
    // Consecutive steps: full detail, nothing skipped.
    expect(detail.series[0].x.every((x, i, all) => i === 0 || x === all[i - 1] + 1)).toBe(true);
    await expect.poll(() => chart.getAttribute('data-points')).toBe(String(detail.series[0].x.length));

    // Another x axis: the same key against relative time, every chart asks again.
    const byRuntime = page.waitForResponse((r) => r.url().includes('key=loss') && r.url().includes('x=_runtime'));
    await page.selectOption('select.x-axis', '_runtime');
    const runtime = (await (await byRuntime).json()) as SeriesBody;
    expect(runtime.series[0].x.every((x, i, all) => i === 0 || x >= all[i - 1])).toBe(true);
    expect(runtime.series[0].x.at(-1)).toBeLessThan(store.trainSteps);
    await page.selectOption('select.x-axis', 'default');

    // val/loss is drawn against its stepMetric (epoch) by default.
    const val = await page.evaluate(async (run) => {
      const r = await fetch(`/api/series?runs=${run}&key=val/loss&x=epoch`);
      return r.json();
    }, `${store.project}/${store.trainId}`);
    expect(val.series[0].x).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    await page.screenshot({ path: screenshotPath('run-charts'), fullPage: true });
  });

  it('shows the image logged at the step chosen with the slider, with its mask and boxes', async () => {
    const panel = page.locator('.media-panel[data-key="samples"]');
    await panel.waitFor();
    expect(await panel.getAttribute('data-step')).toBe('5000');
    await panel.locator('input.step-slider').fill('0');
    await expect.poll(() => panel.getAttribute('data-step')).toBe('1000');
    const image = panel.locator('img.media-image');
    await expect.poll(() => image.getAttribute('src')).toContain('samples_1000_');
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(32);
    await expect.poll(() => panel.locator('canvas.media-overlay').getAttribute('data-drawn')).toBe('true');
    // The box outline is drawn in class 1's colour inside the box area (right half, upper part).
    const painted = await panel.locator('canvas.media-overlay').evaluate((canvas: HTMLCanvasElement) => {
      const ctx = canvas.getContext('2d')!;
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      let count = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) count++;
      return count / (canvas.width * canvas.height);
    });
    expect(painted).toBeGreaterThan(0.05); // mask (a quarter of the image) plus the box
    await panel.locator('input.step-slider').fill('1');
    await expect.poll(() => image.getAttribute('src')).toContain('samples_3000_');
    await panel.screenshot({ path: screenshotPath('image-panel') });
  });

  it('renders the histograms over time as a heat map', async () => {
    const heatmap = page.locator('.heatmap-panel[data-key="weights/dense"] canvas');
    await expect.poll(() => heatmap.getAttribute('data-rendered')).toBe('true');
    expect(await heatmap.getAttribute('data-steps')).toBe(String(store.trainSteps / 600));
    const colours = await heatmap.evaluate((canvas: HTMLCanvasElement) => {
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      const seen = new Set<number>();
      for (let i = 0; i < data.length; i += 4) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      return seen.size;
    });
    expect(colours).toBeGreaterThan(5);
    await page
      .locator('.heatmap-panel')
      .first()
      .screenshot({ path: screenshotPath('histograms') });
  });

  it('plays galleries, videos, audio, tables with media cells, Vega-Lite plots and text', async () => {
    await page.goto(`${dashboard.url}#/r/${store.project}/${store.mediaId}/charts`);
    const panel = (key: string) => page.locator(`.media-panel[data-key="${key}"]`);
    await panel('gallery').locator('img').first().waitFor();
    expect(await panel('gallery').locator('img.media-image').count()).toBe(2);
    const gif = panel('clip').locator('img.media-image');
    await expect.poll(() => gif.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(16);
    const audio = panel('tone').locator('audio');
    await expect
      .poll(() => audio.evaluate((a: HTMLAudioElement) => a.readyState >= 1 && Math.round(a.duration * 100)))
      .toBe(25);
    const table = panel('predictions').locator('table');
    await table.locator('tbody tr').first().waitFor();
    expect(await table.locator('tbody tr').count()).toBe(3);
    expect(await table.locator('tbody img.media-image').count()).toBe(3);
    // At step 2 the scores are seven 0.7, one 0.4, four 0.5: ascending, then descending.
    await table.locator('th', { hasText: 'score' }).click();
    expect(await table.locator('tbody tr td:nth-child(2)').allTextContents()).toEqual(['one', 'four', 'seven']);
    await table.locator('th', { hasText: 'score' }).click();
    expect(await table.locator('tbody tr td:nth-child(2)').allTextContents()).toEqual(['seven', 'four', 'one']);
    await expect
      .poll(() => panel('curve').locator('.media-vega').getAttribute('data-rendered'), { timeout: 20_000 })
      .toBe('true');
    expect(await panel('curve').locator('svg path').count()).toBeGreaterThan(0);
    expect(await panel('note').textContent()).toContain('note at step 2');
    await panel('note').locator('input.step-slider').fill('0');
    expect(await panel('note').textContent()).toContain('note at step 0');
    await page.screenshot({ path: screenshotPath('media-run'), fullPage: true });
  });

  it('lists artifact collections, versions with aliases and files, and draws the lineage', async () => {
    await page.goto(`${dashboard.url}#/a/${store.project}/cnn-model`);
    await page.waitForSelector('table.versions');
    const collections = await page.$$eval('table.collections tbody tr td:first-child', (tds) =>
      tds.map((td) => td.textContent),
    );
    expect(collections.sort()).toEqual(['cnn-model', 'digits-data', 'tiny-mlp']);
    expect(await page.textContent('table.versions')).toContain('best');
    await expect.poll(() => page.textContent('.version-files')).toContain('model.json');
    const lineage = page.locator('svg.lineage');
    // prepare-data -> digits-data:v0 -> cnn-train -> cnn-model:v0, and tfjs-mlp -> tiny-mlp:v0..v3 (a checkpoint an epoch).
    expect(await lineage.locator('rect.node-run').count()).toBe(3);
    expect(await lineage.locator('rect.node-version').count()).toBe(6);
    expect(await lineage.locator('path.edge-used').count()).toBe(1);
    expect(await lineage.locator('path.edge-logged').count()).toBe(6);
    // Left to right: dataset before the training run, the model after it.
    const x = async (label: string) =>
      Number(await lineage.locator('a', { hasText: label }).locator('rect').getAttribute('x'));
    expect(await x('prepare-data')).toBeLessThan(await x('digits-data'));
    expect(await x('digits-data')).toBeLessThan(await x('cnn-train'));
    expect(await x('cnn-train')).toBeLessThan(await x('cnn-model'));
    await page.screenshot({ path: screenshotPath('artifacts'), fullPage: true });
  });

  it("shows a tfjs run's gradient histograms over time and epoch metrics against its epoch", async () => {
    await page.goto(`${dashboard.url}#/r/${store.project}/${store.tfjsId}/charts`);
    const gradients = page.locator('.heatmap-panel[data-key="gradients/dense_Dense1/kernel"] canvas');
    await expect.poll(() => gradients.getAttribute('data-rendered')).toBe('true');
    expect(Number(await gradients.getAttribute('data-steps'))).toBeGreaterThan(1);
    const valLoss = page.locator('.chart[data-key="epoch/val_loss"]');
    await expect.poll(() => valLoss.getAttribute('data-points')).toBe('4');
    // defineMetric hid epoch/epoch (the tfjs adapter's step metric): no chart of its own.
    expect(await page.locator('.chart[data-key="epoch/epoch"]').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('tfjs-run'), fullPage: true });
  });

  it('shows system metrics charts and the console output', async () => {
    await page.goto(`${dashboard.url}#/r/${store.project}/${store.trainId}/system`);
    const cpu = page.locator('.chart[data-key="system/proc.cpu.percent"]');
    await expect.poll(() => cpu.getAttribute('data-points')).toMatch(/^[1-9]\d*$/);
    expect(await page.locator('select.x-axis').inputValue()).toBe('_runtime');
    await page.goto(`${dashboard.url}#/r/${store.project}/${store.prepareId}/logs`);
    await expect.poll(() => page.textContent('pre.console')).toContain('prepare: wrote 1 row');
    expect(await page.textContent('pre.console')).toContain('prepare: no labels missing');
  });

  it('edits tags and notes, and deletes a run only after confirmation', async () => {
    await page.goto(`${dashboard.url}#/r/${store.project}/${store.otherId}/overview`);
    await page.waitForSelector('input.edit-tags');
    expect(await page.textContent('.run-body')).toContain('0.01'); // config lr
    await page.fill('input.edit-tags', 'mlp, keep');
    await page.fill('textarea.edit-notes', 'small baseline');
    await page.click('button.save');
    await expect.poll(() => page.textContent('.save-message')).toBe('saved');
    const saved = JSON.parse(await readFile(join(dir, store.project, 'runs', store.otherId, 'run.json'), 'utf8'));
    expect(saved.tags).toEqual(['mlp', 'keep']);
    expect(saved.notes).toBe('small baseline');
    await page.screenshot({ path: screenshotPath('run-overview'), fullPage: true });

    // A wrong confirmation keeps the run.
    page.once('dialog', (dialog) => void dialog.accept('nope'));
    await page.click('button.danger');
    await page.waitForTimeout(200);
    expect(existsSync(join(dir, store.project, 'runs', store.otherId))).toBe(true);
    page.once('dialog', (dialog) => void dialog.accept(store.otherId));
    await page.click('button.danger');
    await page.waitForURL(/#\/p\/digits$/);
    expect(existsSync(join(dir, store.project, 'runs', store.otherId))).toBe(false);
    await page.waitForSelector('tr[data-run]');
    expect(await page.locator('tr[data-run]').count()).toBe(4);
  });

  it('draws a long history from its index at once, then zooms to full detail from its rows', async () => {
    const run = await init({ project: 'long', dir, settings: TEST_SETTINGS });
    const rows = 60_000; // above the dashboard's 50,000-row threshold for drawing from the index
    for (let step = 0; step < rows; step++) run.log({ loss: Math.cos(step / 900) + (step === 47_000 ? 7 : 0) });
    await run.finish();
    const response = page.waitForResponse((r) => r.url().includes('/api/series') && r.url().includes(run.id));
    await page.goto(`${dashboard.url}#/r/long/${run.id}/charts`);
    const body = (await (await response).json()) as SeriesBody & { series: Array<{ source: string }> };
    const [series] = body.series;
    expect(series.source).toBe('index');
    expect(series.total).toBe(rows);
    expect(series.x.length).toBeLessThanOrEqual(4 * body.buckets);
    expect(series.x).toContain(47_000); // the spike, from its block's maximum
    const chart = page.locator('.chart[data-key="loss"]');
    await chart.locator('canvas').waitFor();
    expect(await chart.getAttribute('data-points')).toBe(String(series.x.length));
    await chart.screenshot({ path: screenshotPath('long-history-index') });

    // A zoom needs every row of its range: the server reads just those blocks (or the rows, once read) and sends
    // them all.
    const detail = (await zoomInto(chart, 0.5, 0.505)) as SeriesBody;
    expect(detail.series[0].downsampled).toBe(false);
    expect(detail.series[0].x.length).toBe(detail.series[0].total);
    expect(detail.series[0].x.every((x, i, all) => i === 0 || x === all[i - 1] + 1)).toBe(true);
    await expect.poll(() => chart.getAttribute('data-points')).toBe(String(detail.series[0].x.length));
  });
});
