/// <reference lib="dom" />
// The dashboard in a real browser (Debian's chromium through playwright-core).
// Targets (issue 8): the runs table of 1,000 runs interactive under 1 s; a chart of 3 runs x 1,000,000 points
// first drawn under 1 s, with a payload bounded by the downsampling whatever the history length
// (100k-row and 1M-row histories give the same number of points and about the same bytes).
// Fixtures are made once by the real engine and kept in $TMPDIR/runlog-bench-ui (delete it to remake them).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init } from '@runlog/core';
import { RUN_FILES, storePaths } from '@runlog/core/internal';
import { startDashboard } from '@runlog/ui';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../packages/ui/test/browser.js';
import { interleave, printComparison, writeResults } from './lib/interleave.js';

const base = join(tmpdir(), 'runlog-bench-ui');
const tableStore = join(base, 'table-store');
const chartStore = join(base, 'chart-store');
const SETTINGS = {
  console: false,
  processHooks: false,
  quiet: true,
  systemMetrics: false,
  metadata: false,
  flushBytes: 8 << 20,
} as const;
const BIG = 1_000_000;
const MID = 100_000;

async function makeFixtures(): Promise<void> {
  const marker = join(base, 'ready-v2'); // v2: runs carry history-index.jsonl
  if (existsSync(marker)) return;
  await rm(base, { recursive: true, force: true });
  await mkdir(base, { recursive: true });
  console.log('making fixtures with the engine (once): 1,000 runs, 3 x 1M rows, 3 x 100k rows…');
  for (let i = 0; i < 1000; i++) {
    const run = await init({
      project: 'table',
      dir: tableStore,
      name: `run-${i}`,
      config: { lr: 10 ** -(1 + (i % 4)), batchSize: 16 << (i % 3), layers: 2 + (i % 5), optimizer: { name: 'adam' } },
      tags: i % 2 ? ['odd'] : ['even', 'baseline'],
      settings: SETTINGS,
    });
    for (let step = 0; step < 10; step++) run.log({ loss: 1 / (step + 1 + i), 'val/acc': step / 10 });
    await run.finish();
  }
  for (const [project, rows] of [
    ['big', BIG],
    ['mid', MID],
  ] as const) {
    for (let r = 0; r < 3; r++) {
      const run = await init({ project, dir: chartStore, name: `${project}-${r}`, settings: SETTINGS });
      for (let step = 0; step < rows; step++) {
        run.log({ loss: Math.exp(-step / (rows / 5)) * (1 + r / 10) + Math.sin(step) * 0.01, acc: step / rows });
      }
      await run.finish();
    }
  }
  writeFileSync(marker, new Date().toISOString());
}

async function timeNavigation(page: Page, url: string, ready: string): Promise<number> {
  await page.goto('about:blank');
  const t0 = performance.now();
  await page.goto(url);
  await page.waitForSelector(ready, { timeout: 60_000 });
  return (performance.now() - t0) / 1000;
}

await makeFixtures();
const browser = await launchBrowser(); // the tests' launcher: Debian's chromium, headless, never downloaded
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
const results: Record<string, unknown> = {};
try {
  // 1. Runs table of 1,000 runs: navigation -> all rows in the DOM, against a bare fetch + innerHTML table.
  const tableDashboard = await startDashboard({ dir: tableStore, port: 6200 });
  const table = await interleave(
    'runs table, 1,000 runs: navigation to table rendered',
    [
      {
        name: 'dashboard (#/p/table)',
        run: () => timeNavigation(page, `${tableDashboard.url}#/p/table`, '.runs-table[data-rendered="1000"]'),
      },
      {
        name: 'bare fetch + innerHTML table',
        run: async () => {
          await page.goto('about:blank');
          const t0 = performance.now();
          await page.goto(`${tableDashboard.url}api/projects`);
          await page.evaluate(async () => {
            const { runs } = await (await fetch('/api/projects/table/runs')).json();
            const rows = runs.map(
              (r: { name: string; state: string; config: { lr: number }; summary: { loss: number } }) =>
                `<tr><td>${r.state}</td><td>${r.name}</td><td>${r.config.lr}</td><td>${r.summary.loss}</td></tr>`,
            );
            document.body.innerHTML = `<table>${rows.join('')}</table>`;
            return document.body.offsetHeight;
          });
          return (performance.now() - t0) / 1000;
        },
      },
    ],
    { unit: 's', repeats: 5 },
  );
  printComparison(table);
  results.table = table;
  await tableDashboard.close();

  // 2. A chart of 3 runs x 1M points.
  const warmDashboard = await startDashboard({ dir: chartStore, port: 6210 });
  const runsOf = async (project: string) => {
    const { runs } = (await (await fetch(`${warmDashboard.url}api/projects/${project}/runs`)).json()) as {
      runs: Array<{ id: string }>;
    };
    return runs.map((r) => `${project}/${r.id}`).join(',');
  };
  const big = await runsOf('big');
  const mid = await runsOf('mid');
  const chartReady = '.chart[data-key="loss"][data-points] canvas';
  // Payload: the same downsampled size for 100k and 1M rows, drawn from the index (first request) or the rows.
  const payload: Record<string, { bytes: number; points: number; total: number }> = {};
  for (const [name, runs] of [
    ['3 x 100k rows', mid],
    ['3 x 1M rows', big],
  ] as const) {
    for (let attempt = 0; attempt < 600; attempt++) {
      const response = await fetch(`${warmDashboard.url}api/series?runs=${runs}&key=loss&buckets=1000`);
      const text = await response.text();
      const body = JSON.parse(text) as { series: Array<{ x: number[]; total: number; source: string }> };
      const source = body.series.every((s) => s.source === 'rows') ? 'rows' : 'index';
      payload[`${name}, from ${source}`] ??= {
        bytes: Buffer.byteLength(text),
        points: body.series.reduce((n, s) => n + s.x.length, 0),
        total: body.series.reduce((n, s) => n + s.total, 0),
      };
      if (source === 'rows') break;
      await new Promise((resolve) => setTimeout(resolve, 100)); // the rows are read in the background
    }
  }
  console.log('\npayload of /api/series (loss, 3 runs, 1000 buckets):');
  for (const [name, p] of Object.entries(payload))
    console.log(`  ${name.padEnd(26)} ${p.points} of ${p.total} points, ${p.bytes} bytes`);
  results.payload = payload;

  const uplotScript = readFileSync(
    join(import.meta.dirname, '..', 'packages', 'ui', 'node_modules', 'uplot', 'dist', 'uPlot.iife.min.js'),
    'utf8',
  );
  const warm = await interleave(
    'chart, 3 runs x 1M points, server holding the histories: navigation to chart drawn',
    [
      {
        name: 'dashboard compare view (#/p/big)',
        run: () => timeNavigation(page, `${warmDashboard.url}#/p/big`, chartReady),
      },
      {
        name: 'bare fetch + uPlot of the same points',
        run: async () => {
          await page.goto('about:blank');
          const t0 = performance.now();
          await page.goto(`${warmDashboard.url}api/projects`);
          await page.addScriptTag({ content: uplotScript });
          await page.evaluate(async (runs) => {
            const body = await (await fetch(`/api/series?runs=${runs}&key=loss&buckets=1000`)).json();
            const tables = body.series.map((s: { x: number[]; y: number[] }) => [s.x, s.y]);
            // biome-ignore lint/suspicious/noExplicitAny: uPlot's global from its IIFE build
            const uPlot = (window as any).uPlot;
            document.body.innerHTML = '<div id="c"></div>';
            new uPlot(
              { width: 600, height: 220, series: [{}, { stroke: 'red' }, { stroke: 'blue' }, { stroke: 'green' }] },
              uPlot.join(tables),
              document.getElementById('c'),
            );
          }, big);
          return (performance.now() - t0) / 1000;
        },
      },
    ],
    { unit: 's', repeats: 5 },
  );
  printComparison(warm);
  results.warm = warm;
  await warmDashboard.close();

  // Cold: a fresh server each time, so the three 1M-row histories are read from disk for the first chart.
  const historyFiles = big.split(',').map((path) => {
    const [project, id] = path.split('/');
    return join(storePaths.run(chartStore, project, id), RUN_FILES.history);
  });
  let port = 6220;
  const cold = await interleave(
    'chart, 3 runs x 1M points, fresh server (histories read from disk): navigation to chart drawn',
    [
      {
        name: 'dashboard compare view, cold',
        run: async () => {
          const dashboard = await startDashboard({ dir: chartStore, port: port++ });
          try {
            return await timeNavigation(page, `${dashboard.url}#/p/big`, chartReady);
          } finally {
            await dashboard.close();
          }
        },
      },
      {
        name: 'bare line split + JSON.parse of the 3 files',
        run: () => {
          const t0 = performance.now();
          let rows = 0;
          for (const file of historyFiles) {
            const text = readFileSync(file, 'utf8');
            let start = 0;
            for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
              JSON.parse(text.slice(start, end));
              rows++;
              start = end + 1;
            }
          }
          if (rows !== 3 * BIG) throw new Error(`read ${rows} rows`);
          return (performance.now() - t0) / 1000;
        },
      },
    ],
    { unit: 's', repeats: 5 },
  );
  printComparison(cold);
  results.cold = cold;

  // A zoom right after the first chart of a fresh server (the rows not read yet: the index's blocks of the range
  // are read) against the same zoom on a server that holds the rows. Measured: drag released to zoomed chart drawn.
  const zoomOnce = async (url: string) => {
    await timeNavigation(page, `${url}#/p/big`, chartReady);
    const chart = page.locator('.chart[data-key="loss"]');
    const before = await chart.getAttribute('data-points');
    const box = (await chart.locator('.u-over').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.52, box.y + box.height / 2, { steps: 3 });
    const t0 = performance.now();
    await page.mouse.up();
    await page.waitForFunction(
      (previous) => document.querySelector('.chart[data-key="loss"]')?.getAttribute('data-points') !== previous,
      before,
    );
    return (performance.now() - t0) / 1000;
  };
  const heldDashboard = await startDashboard({ dir: chartStore, port: port++ });
  await timeNavigation(page, `${heldDashboard.url}#/p/big`, chartReady);
  for (let tries = 0; tries < 600; tries++) {
    const body = await (await fetch(`${heldDashboard.url}api/series?runs=${big}&key=loss&buckets=1000`)).json();
    if (body.series.every((s: { source: string }) => s.source === 'rows')) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const zoom = await interleave(
    'zoom into 2% of 3 runs x 1M points: drag released to zoomed chart drawn',
    [
      {
        name: 'fresh server (index blocks of the range)',
        run: async () => {
          const dashboard = await startDashboard({ dir: chartStore, port: port++ });
          try {
            return await zoomOnce(dashboard.url);
          } finally {
            await dashboard.close();
          }
        },
      },
      { name: 'server holding the rows', run: () => zoomOnce(heldDashboard.url) },
    ],
    { unit: 's', repeats: 5 },
  );
  printComparison(zoom);
  results.zoom = zoom;
  await heldDashboard.close();
} finally {
  await browser.close();
}
console.log(`\nresults: ${writeResults('ui', results)}`);
