// @runlog/browser's upload (issue 16): rows/s from the page's IndexedDB to a runlog server (PGlite, in this
// process) in headless Chromium, against a same-run baseline: the same history bytes POSTed by plain fetch from the
// same page in the same 1 MiB gzip batches (no IndexedDB reads, no protocol client). Interleaved, 5 repetitions.
// BENCH_BROWSER_ROWS changes the run's size (default 20,000 rows of 5 scalars).
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTokenOffline, startServer } from '@runlog/server';
import { bundlePage } from '../packages/browser/test/support/testServers.js';
import { launchBrowser } from '../packages/ui/test/browser.js';
import { interleave, printComparison, writeResults } from './lib/interleave.js';

const ROWS = Number(process.env.BENCH_BROWSER_ROWS ?? 20_000);
const REPEATS = 5;
const work = mkdtempSync(join(tmpdir(), 'runlog-bench-browser-'));

const script = await bundlePage(join(import.meta.dirname, 'lib', 'browserUploadPage.ts'));
const site = createServer((request, response) => {
  if (request.url === '/page.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
  else response.writeHead(200, { 'content-type': 'text/html' }).end('<script type="module" src="/page.js"></script>');
});
await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
const data = join(work, 'server');
const { token } = await createTokenOffline({ data, role: 'write' });
const server = await startServer({ data, port: 0, corsOrigins: [origin] });
const browser = await launchBrowser();
try {
  const page = await browser.newPage();
  await page.goto(origin);
  await page.waitForFunction(() => 'bench' in window);
  type Bench = {
    prepare(id: string, rows: number): Promise<number>;
    upload(id: string, host: string, key: string): Promise<number>;
    hold(id: string): Promise<void>;
    raw(id: string, target: string, host: string, key: string): Promise<number>;
  };
  const call = <K extends keyof Bench>(name: K, ...args: Parameters<Bench[K]>) =>
    page.evaluate(
      ({ name, args }) =>
        (
          (window as unknown as { bench: Record<string, (...a: unknown[]) => unknown> }).bench[name] as (
            ...a: unknown[]
          ) => Promise<number>
        )(...args),
      { name, args: args as unknown[] },
    );
  // Runs to upload: one per repetition and the warm-up, stored before anything is timed.
  let bytes = 0;
  for (let r = 0; r <= REPEATS; r++) bytes = await call('prepare', `a${r}`, ROWS);
  await call('hold', 'a0');
  console.log(`${ROWS} rows, ${(bytes / 2 ** 20).toFixed(2)} MiB of history.jsonl per run`);
  let a = 0;
  let b = 0;
  const comparison = await interleave(
    'browser upload: IndexedDB -> runlog server (rows/s)',
    [
      {
        name: '@runlog/browser uploader (syncRun from IndexedDB)',
        run: async () => ROWS / (await call('upload', `a${a++}`, server.url, token)),
      },
      {
        name: 'plain fetch of the same bytes (1 MiB gzip batches)',
        run: async () => ROWS / (await call('raw', 'a0', `raw${b++}`, server.url, token)),
      },
    ],
    { unit: 'rows/s', higherIsBetter: true, repeats: REPEATS },
  );
  printComparison(comparison);
  writeResults('browser', { rows: ROWS, bytes, comparison });
} finally {
  await browser.close();
  await server.close();
  site.close();
  rmSync(work, { recursive: true, force: true });
}
