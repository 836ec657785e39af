/// <reference lib="dom" />
// @runlog/browser in Debian's headless Chromium against a real `runlog server` (PGlite): a page trains a tfjs
// model with the browser callbacks; the server is SIGKILLed mid-training and restarted, killed again, and the page
// is reloaded mid-upload; every epoch row, image and checkpoint arrives exactly once, and the dashboard shows the run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api } from '@runlog/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../server/test/support/postgresCluster.js';
import { launchBrowser } from '../../ui/test/browser.js';
import { bundlePage, type CliServer, createToken, servePage, startCliServer } from './support/testServers.js';

const EPOCHS = 10;
let dir: string;
let browser: Browser;
let page: Page;
let site: Awaited<ReturnType<typeof servePage>>;
let token: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'runlog-browser-'));
  const script = await bundlePage(join(import.meta.dirname, 'support', 'trainingPage.ts'));
  site = await servePage(script);
  token = await createToken(join(dir, 'server'));
  browser = await launchBrowser();
  page = await (await browser.newContext()).newPage(); // a context, so a second tab shares its storage
  page.on('pageerror', (error) => console.error('page error:', error));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function serverRows(url: string, runId: string): Promise<number> {
  try {
    const answer = await fetch(`${url}/api/v1/projects/web/runs/${runId}/sync`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await answer.json()) as { streams: { history?: { rows: number } } };
    return body.streams.history?.rows ?? 0;
  } catch {
    return -1;
  }
}

const pageState = () =>
  page.evaluate(
    () =>
      (window as unknown as { runlogTest: { state: { epoch: number; done: boolean; error: string; upload: unknown } } })
        .runlogTest.state,
  );

describe('@runlog/browser in Chromium against runlog server', () => {
  it('loses nothing through a SIGKILLed server and a reload mid-upload; each row, image and checkpoint arrives once', async () => {
    const port = await freePort();
    const data = join(dir, 'server');
    let server: CliServer = await startCliServer(data, port, site.url);
    const host = server.url;
    const runId = 'tab1';
    const open = (gate: number) =>
      page.evaluate((g) => (window as unknown as { runlogTest: { open(g: number): void } }).runlogTest.open(g), gate);
    try {
      await page.goto(site.url);
      await open(3); // training holds after epoch 2
      await page.evaluate(
        (options) => (window as unknown as { runlogTest: { start(o: unknown): void } }).runlogTest.start(options),
        { host, apiKey: token, project: 'web', id: runId, epochs: EPOCHS, epochPauseMs: 100 },
      );
      // Rows reach the server while training runs (the preflighted CORS requests work): 2 per epoch (metrics, image).
      await until('epochs 0-2 on the server', async () => (await serverRows(host, runId)) >= 6);
      await server.kill(); // mid-training
      expect((await pageState()).epoch).toBe(2); // held at the gate
      await open(6);
      await until('training to go on without the server', async () => (await pageState()).epoch >= 5);
      server = await startCliServer(data, port, site.url);
      await until('the upload to catch up', async () => (await serverRows(host, runId)) >= 12);
      await server.kill(); // again, so the page ends with its upload unfinished
      await open(Number.POSITIVE_INFINITY);
      await until('training to end', async () => (await pageState()).done, 180_000);
    } catch (error) {
      await server.kill();
      throw error;
    }
    expect((await pageState()).error).toBe('');
    // The tab goes away mid-upload; the next load of the same origin resumes it.
    await page.reload();
    server = await startCliServer(data, port, site.url);
    const rowsBefore = await serverRows(host, runId);
    expect(rowsBefore).toBeLessThan(2 * EPOCHS); // the reload left rows to upload
    try {
      const report = await page.evaluate(
        (options) =>
          (window as unknown as { runlogTest: { resume(o: unknown): Promise<unknown> } }).runlogTest.resume(options),
        { host, apiKey: token },
      );
      expect(report).toEqual({ completed: [`web/${runId}`], pending: [] });

      const view = await new Api({ host, apiKey: token }).run(`web/${runId}`);
      expect(view.state).toBe('finished');
      const rows = await view.history();
      const epochs = rows.filter((row) => row['epoch/epoch'] !== undefined).map((row) => row['epoch/epoch']);
      expect(epochs).toEqual([...Array(EPOCHS).keys()]);
      const images = rows.filter((row) => row.sample !== undefined);
      expect(images.map((row) => row['sample/epoch'])).toEqual([...Array(EPOCHS).keys()]);
      const steps = rows.map((row) => row._step);
      expect(new Set(steps).size).toBe(steps.length);
      const files = await view.files();
      expect(files.filter((f) => f.name.startsWith('media/image/')).length).toBe(EPOCHS);
      const api = new Api({ host, apiKey: token });
      const checkpoints = await api.artifactVersions(`web/model-${runId}`);
      expect(checkpoints.map((v) => (v.metadata as { epoch: number }).epoch)).toEqual([...Array(EPOCHS).keys()]);
      expect(new Set(checkpoints.map((v) => v.digest)).size).toBe(EPOCHS);
      expect(checkpoints.at(-1)?.aliases).toContain('latest');
      const last = await api.artifactVersion(`web/model-${runId}:latest`);
      expect(Object.keys(last.manifest.entries).sort()).toEqual(['model.json', 'weights.bin']);
      const lineage = await view.artifactRecords('logged');
      expect(lineage.length).toBe(EPOCHS);
      expect(view.summaryMetrics['epoch/loss']).toBeTypeOf('number');
      // The page's console, captured while the run lived: each line once, through the kills and the reload.
      const output = await view.output();
      const epochLines = output.split('\n').filter((line) => line.startsWith('epoch '));
      expect(epochLines).toEqual([...Array(EPOCHS).keys()].map((e) => `epoch ${e} done: {"epoch":${e}}`));
      expect(output).not.toContain('after finish');

      // The dashboard lists the run.
      const dashboard = await fetch(`${host}/api/projects/web/runs`, { headers: { authorization: `Bearer ${token}` } });
      expect(dashboard.status).toBe(200);
      expect(await dashboard.text()).toContain(runId);
      // ... and its page shows it, after logging in with the token.
      const visitor = await (await browser.newContext()).newPage();
      await visitor.goto(`${host}/`);
      await visitor.fill('input[name=token]', token);
      await visitor.press('input[name=token]', 'Enter');
      await visitor.waitForSelector('main#app');
      await visitor.goto(`${host}/#/p/web`);
      await visitor.waitForSelector(`tr[data-run="web/${runId}"]`, { timeout: 60_000 });
      await visitor.context().close();
    } finally {
      await server.kill();
    }
  }, 600_000);

  it('uploads a run whose tab was closed mid-run on the next page load, recorded as crashed, each row once', async () => {
    const port = await freePort();
    const host = `http://127.0.0.1:${port}`; // no server yet: the first page stores and cannot upload
    const tab = await page.context().newPage(); // the same origin storage as `page`
    await tab.goto(site.url);
    const stored = await tab.evaluate(
      (options) =>
        (window as unknown as { runlogTest: { abandon(o: unknown): Promise<number> } }).runlogTest.abandon(options),
      { host, apiKey: token, id: 'closed', rows: 500 },
    );
    expect(stored).toBe(500);
    await tab.close(); // the tab goes away with the run still running
    const server = await startCliServer(join(dir, 'server'), port, site.url);
    try {
      await page.goto(site.url);
      const report = await page.evaluate(
        (options) =>
          (window as unknown as { runlogTest: { resume(o: unknown): Promise<unknown> } }).runlogTest.resume(options),
        { host, apiKey: token },
      );
      expect(report).toEqual({ completed: ['web/closed'], pending: [] });
      const view = await new Api({ host, apiKey: token }).run('web/closed');
      expect(view.state).toBe('crashed');
      const steps = (await view.history()).map((row) => row._step);
      expect(steps).toEqual([...Array(500).keys()]);
      // Uploaded runs can leave the page's storage: their bytes go back to the bound.
      const pruned = await page.evaluate(() =>
        (window as unknown as { runlogTest: { prune(): Promise<unknown> } }).runlogTest.prune(),
      );
      expect(pruned).toMatchObject({ removed: expect.arrayContaining(['web/closed', 'web/tab1']), after: 0, runs: 0 });
      expect((pruned as { before: number }).before).toBeGreaterThan(0);
    } finally {
      await server.kill();
    }
  }, 240_000);

  it('refuses a write past the storage bound with QUOTA_EXCEEDED and keeps the rows stored before', async () => {
    await page.goto(site.url);
    const result = (await page.evaluate(
      (options) =>
        (window as unknown as { runlogTest: { quota(o: unknown): Promise<unknown> } }).runlogTest.quota(options),
      { maxBytes: 64 * 1024, database: 'runlog-quota' },
    )) as {
      code: string;
      storedBefore: number;
      lines: number;
      status: { droppedRows: number; lastError: string };
      first: string;
    };
    expect(result.code).toBe('QUOTA_EXCEEDED');
    expect(result.storedBefore).toBe(20);
    expect(result.lines).toBe(20);
    expect(JSON.parse(result.first)).toMatchObject({ _step: 0, loss: 0 });
    expect(result.status).toMatchObject({ droppedRows: 2000, lastError: 'QUOTA_EXCEEDED' });
  }, 120_000);
});
