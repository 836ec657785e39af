/// <reference lib="dom" />
// The page of bench/browser.bench.ts: stores runs in IndexedDB with @runlog/browser, then uploads them with its
// uploader (side A) or POSTs the same history bytes with plain fetch (side B, the baseline).
import { BrowserStore, init, RunUploader } from '../../packages/browser/src/index.js';

const DATABASE = 'runlog-bench';

async function prepare(id: string, rows: number): Promise<number> {
  const run = await init({ project: 'bench', id, database: DATABASE, maxBytes: 2 ** 31 });
  for (let i = 0; i < rows; i++) {
    run.log({ loss: 1 / (i + 1), acc: i / rows, lr: 0.001, 'grad/norm': Math.sqrt(i), epoch: i >> 10 });
  }
  await run.finish();
  const store = await BrowserStore.open({ database: DATABASE });
  return (await store.run(`bench/${id}`))?.streams.history ?? 0;
}

/** Side A: the run uploaded by @runlog/browser's uploader (core's syncRun reading from IndexedDB); seconds. */
async function upload(id: string, host: string, apiKey: string): Promise<number> {
  const store = await BrowserStore.open({ database: DATABASE });
  const uploader = new RunUploader(store, `bench/${id}`, { host, apiKey });
  const start = performance.now();
  const complete = await uploader.pass();
  const seconds = (performance.now() - start) / 1000;
  if (!complete) throw new Error(`upload of ${id} failed: ${uploader.status().lastError}`);
  return seconds;
}

const held = new Map<string, Uint8Array>();

/** Reads a stored run's history bytes into memory (untimed), for side B. */
async function hold(id: string): Promise<void> {
  const store = await BrowserStore.open({ database: DATABASE });
  const record = await store.run(`bench/${id}`);
  held.set(id, await store.readStream(`bench/${id}`, 'history', 0, record?.streams.history ?? 0));
}

/** Side B: the same bytes POSTed with fetch to a fresh run, in the same 1 MiB gzip batches cut at line ends. */
async function raw(id: string, target: string, host: string, apiKey: string): Promise<number> {
  const bytes = held.get(id)!;
  const start = performance.now();
  let offset = 0;
  while (offset < bytes.length) {
    let end = Math.min(bytes.length, offset + (1 << 20));
    if (end < bytes.length) end = bytes.lastIndexOf(0x0a, end - 1) + 1;
    const body = bytes.subarray(offset, end);
    const gz = new Blob([body as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('gzip'));
    const answer = await fetch(`${host}/api/v1/projects/bench/runs/${target}/streams/history?offset=${offset}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${apiKey}`,
        'content-type': 'application/octet-stream',
        'content-encoding': 'gzip',
      },
      body: await new Response(gz).arrayBuffer(),
    });
    if (answer.status !== 200) throw new Error(`raw POST: ${answer.status} ${await answer.text()}`);
    offset = end;
  }
  return (performance.now() - start) / 1000;
}

Object.assign(window, { bench: { prepare, upload, hold, raw } });
