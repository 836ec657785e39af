// The read API and the CLI over big stores made by the engine (issue 4):
//  - scanHistory over a 1,000,000-row, 5-key history: >= 1,000,000 rows/s and >= 0.5x a bare line split +
//    JSON.parse of the same file (interleaved);
//  - history({ samples: 1000 }) on that run: < 1 s (answered from the history index; also timed without it);
//  - `runlog ls` over 1,000 runs (the real binary): < 1 s.
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api, init } from '@runlog/core';
import { RUN_FILES } from '@runlog/core/internal';
import { interleave, printComparison, writeResults } from './lib/interleave.js';

const ROWS = 1_000_000;
const RUNS = 1_000;
const quiet = { quiet: true, console: false, systemMetrics: false, metadata: false } as const;
const store = mkdtempSync(join(tmpdir(), 'runlog-bench-read-'));
const bin = join(import.meta.dirname, '..', 'packages', 'cli', 'dist', 'bin.js');

// 1. A 1,000,000-row history written by the engine.
let t0 = performance.now();
const big = await init({ project: 'big', dir: store, settings: quiet });
for (let i = 0; i < ROWS; i++)
  big.log({ loss: 1 / (i + 1), acc: i * 1e-6, lr: 0.001, epoch: i >> 10, grad_norm: 0.5 + Math.sin(i) });
await big.finish();
const historyFile = join(big.dir, RUN_FILES.history);
console.log(
  `wrote ${ROWS} rows (${(statSync(historyFile).size / 1e6).toFixed(1)} MB) with the engine in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);
const run = await new Api({ dir: store }).run(big.path);

/** The baseline: stream the file, split lines, JSON.parse each. Nothing else. */
async function bareParse(): Promise<number> {
  let rows = 0;
  let rest = '';
  for await (const chunk of createReadStream(historyFile, { encoding: 'utf8', highWaterMark: 1 << 22 })) {
    const text = rest + chunk;
    let start = 0;
    let end = text.indexOf('\n');
    while (end !== -1) {
      if (JSON.parse(text.slice(start, end))._step !== undefined) rows++;
      start = end + 1;
      end = text.indexOf('\n', start);
    }
    rest = text.slice(start);
  }
  return rows;
}

const rate = async (fn: () => Promise<number>) => {
  global.gc?.();
  const start = performance.now();
  const rows = await fn();
  if (rows !== ROWS) throw new Error(`read ${rows} rows, expected ${ROWS}`);
  return rows / ((performance.now() - start) / 1000);
};

const scan = await interleave(
  `scanHistory over ${ROWS.toLocaleString('en')} rows x 5 keys`,
  [
    {
      name: 'run.scanHistory() row by row',
      run: () =>
        rate(async () => {
          let rows = 0;
          for await (const row of run.scanHistory()) if (row._step !== undefined) rows++;
          return rows;
        }),
    },
    { name: 'bare line split + JSON.parse', run: () => rate(bareParse) },
  ],
  { unit: 'rows/s', higherIsBetter: true, repeats: 5 },
);
printComparison(scan);

const scanKeys = await interleave(
  'scanHistory({ keys: [loss, acc] }) pages',
  [
    {
      name: 'run.scanHistory({ keys }).pages()',
      run: () =>
        rate(async () => {
          let rows = 0;
          for await (const page of run.scanHistory({ keys: ['loss', 'acc'], pageSize: 4096 }).pages())
            rows += page.length;
          return rows;
        }),
    },
    { name: 'bare line split + JSON.parse', run: () => rate(bareParse) },
  ],
  { unit: 'rows/s', higherIsBetter: true, repeats: 5 },
);
printComparison(scanKeys);

const seconds = async (fn: () => Promise<unknown>) => {
  global.gc?.();
  const start = performance.now();
  await fn();
  return (performance.now() - start) / 1000;
};
const sampled = await interleave(
  'history({ samples: 1000 }) on the 1,000,000-row run',
  [
    {
      name: 'run.history({ samples: 1000 }) (all keys)',
      run: () =>
        seconds(async () => {
          const rows = await run.history({ samples: 1000 });
          if (rows.length < 900 || rows.length > 1000) throw new Error(`got ${rows.length} rows`);
        }),
    },
    {
      name: "run.history({ keys: ['loss'], samples: 1000 })",
      run: () => seconds(() => run.history({ keys: ['loss'], samples: 1000 })),
    },
    {
      name: 'run.history({ samples: 1000, useIndex: false }) (every row read)',
      run: () => seconds(() => run.history({ samples: 1000, useIndex: false })),
    },
    { name: 'bare line split + JSON.parse', run: () => seconds(bareParse) },
  ],
  { unit: 's', repeats: 5 },
);
printComparison(sampled);

// 2. 1,000 finished runs, each with a little history, for `runlog ls`.
t0 = performance.now();
for (let i = 0; i < RUNS; i++) {
  const r = await init({
    project: 'many',
    dir: store,
    config: { lr: i / RUNS, seed: i },
    settings: { ...quiet, processHooks: false },
  });
  r.log({ loss: 1 / (i + 1), acc: i / RUNS });
  await r.finish();
}
console.log(`\nmade ${RUNS} runs with the engine in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const wall = (args: string[]) => () => {
  const start = performance.now();
  execFileSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  return (performance.now() - start) / 1000;
};
const ls = await interleave(
  `runlog ls over ${RUNS} runs (the built binary, wall time)`,
  [
    { name: 'runlog ls --project many', run: wall([bin, 'ls', '--dir', store, '--project', 'many']) },
    { name: 'node -e "" (process start-up alone)', run: wall(['-e', '']) },
    { name: 'runlog ls --json (every project)', run: wall([bin, 'ls', '--dir', store, '--json']) },
    {
      name: 'runlog ls --filter \'{"config.lr":{"$gt":0.5}}\' --sort -summary.acc',
      run: wall([bin, 'ls', '--dir', store, '--filter', '{"config.lr":{"$gt":0.5}}', '--sort', '-summary.acc']),
    },
  ],
  { unit: 's', repeats: 7 },
);
printComparison(ls);

const checks = {
  scanRowsPerSecond: scan.sides[0].median,
  scanRatio: scan.ratioMedian,
  historySamplesSeconds: sampled.sides[0].median,
  lsSeconds: ls.sides[0].median,
};
const pass = {
  'scanHistory >= 1,000,000 rows/s': checks.scanRowsPerSecond >= 1_000_000,
  'scanHistory >= 0.5x bare': checks.scanRatio >= 0.5,
  'history({ samples: 1000 }) < 1 s': checks.historySamplesSeconds < 1,
  'runlog ls over 1,000 runs < 1 s': checks.lsSeconds < 1,
};
console.log('\ntargets (medians):');
for (const [target, ok] of Object.entries(pass)) console.log(`  ${ok ? 'met ' : 'MISSED'}  ${target}`);
console.log(`results: ${writeResults('read-api', { scan, scanKeys, sampled, ls, checks, pass })}`);
rmSync(store, { recursive: true, force: true });
