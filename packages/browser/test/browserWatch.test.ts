/// <reference lib="dom" />
// watch(model) from @runlog/browser in Debian's headless Chromium against a real `runlog server` (PGlite): a page
// trains a small tfjs model with `watch(model, { log: 'all', logFreq })`; the run's history on the server holds the
// gradient and parameter histograms (counts adding up to each weight's size) and the gradient norms.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api } from '@runlog/core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../server/test/support/postgresCluster.js';
import { launchBrowser } from '../../ui/test/browser.js';
import { bundlePage, createToken, servePage, startCliServer } from './support/testServers.js';

type HistogramRef = { _type: string; bins: number[]; values: number[]; nanCount: number; infCount: number };

let dir: string;
let browser: Browser;
let site: Awaited<ReturnType<typeof servePage>>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'runlog-browser-watch-'));
  site = await servePage(await bundlePage(join(import.meta.dirname, 'support', 'watchPage.ts')));
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('watch(model) in Chromium', () => {
  it('puts gradient and parameter histograms and gradient norms into the run on the server', async () => {
    const data = join(dir, 'server');
    const token = await createToken(data);
    const server = await startCliServer(data, await freePort(), site.url);
    const host = server.url;
    try {
      const page = await (await browser.newContext()).newPage();
      page.on('pageerror', (error) => console.error('page error:', error));
      await page.goto(site.url);
      // 64 samples in batches of 16: 4 optimizer steps per epoch, 12 in all; logFreq 5 logs steps 0, 5 and 10,
      // one per epoch, each joined to that epoch's row (commit: false).
      const result = (await page.evaluate(
        (options) =>
          (window as unknown as { watchTest: { train(o: unknown): Promise<unknown> } }).watchTest.train(options),
        { host, apiKey: token, project: 'web', id: 'watched', epochs: 3, logFreq: 5 },
      )) as {
        logGraphError: string;
        watchedAfterRefusal: boolean;
        tapped: boolean;
        watchedAfterFinish: boolean;
        restored: boolean;
        sizes: Record<string, number>;
        status: { errors: number; lastError?: string; upload?: { pendingRows?: number } };
      };
      expect(result.logGraphError).toBe('INVALID_ARGUMENT');
      expect(result.watchedAfterRefusal).toBe(false);
      expect(result.tapped).toBe(true);
      expect(result.watchedAfterFinish).toBe(false);
      expect(result.restored).toBe(true);
      expect(result.status.errors, result.status.lastError).toBe(0);
      const weights = Object.keys(result.sizes);
      expect(weights.sort()).toEqual(['hidden/bias', 'hidden/kernel', 'out/bias', 'out/kernel']);

      const view = await new Api({ host, apiKey: token }).run('web/watched');
      expect(view.state).toBe('finished');
      const rows = await view.history();
      const logged = rows.filter((row) => Object.keys(row).some((key) => key.startsWith('gradients/')));
      expect(logged.map((row) => row['epoch/epoch'])).toEqual([0, 1, 2]);
      for (const row of logged) {
        for (const [name, size] of Object.entries(result.sizes)) {
          for (const prefix of ['gradients', 'parameters']) {
            const histogram = row[`${prefix}/${name}`] as HistogramRef;
            expect(histogram._type, `${prefix}/${name}`).toBe('histogram');
            expect(histogram.bins.length).toBe(histogram.values.length + 1);
            expect(histogram.values.length).toBeLessThanOrEqual(64);
            expect(histogram.values.reduce((a, b) => a + b, 0) + histogram.nanCount + histogram.infCount).toBe(size);
          }
        }
        const global = row['grad_norm/global'] as number;
        expect(global).toBeGreaterThan(0);
        expect(Math.hypot(row['grad_norm/hidden'] as number, row['grad_norm/out'] as number)).toBeCloseTo(global, 4);
      }
      // The parameters move between logged steps: the histograms are of the weights then, not copies of one.
      const kernels = logged.map((row) => JSON.stringify((row['parameters/hidden/kernel'] as HistogramRef).bins));
      expect(new Set(kernels).size).toBe(3);
      await page.context().close();
    } finally {
      await server.kill();
    }
  }, 300_000);
});
