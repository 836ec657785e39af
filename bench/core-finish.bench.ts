// finish() after 1,000,000 logged rows: the flush at the end. Target (issue 2): under 200 ms.
// The baseline is a bare synchronous write of the same number of bytes to a fresh file.
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init } from '@runlog/core';
import { RUN_FILES } from '@runlog/core/internal';
import { interleave, printComparison, writeResults } from './lib/interleave.js';

const ROWS = 1_000_000;
const store = mkdtempSync(join(tmpdir(), 'runlog-bench-finish-'));
let rep = 0;
let lastHistoryBytes = 0;

const finishSide = async () => {
  const run = await init({
    project: 'bench',
    dir: store,
    id: `fin${rep++}`,
    settings: { quiet: true, console: false, systemMetrics: false },
  });
  // A training loop yields to the event loop now and then; so does this one, so background flushes run.
  for (let i = 0; i < ROWS; i++) {
    run.log({ loss: 1 / (i + 1), acc: i * 1e-6, lr: 0.001, epoch: i >> 10, grad_norm: 0.5 + i * 1e-7 });
    if ((i & 4095) === 0) await new Promise((r) => setImmediate(r));
  }
  const t0 = performance.now();
  await run.finish();
  const seconds = (performance.now() - t0) / 1000;
  lastHistoryBytes = (await import('node:fs')).statSync(join(run.dir, RUN_FILES.history)).size;
  rmSync(run.dir, { recursive: true, force: true });
  return seconds;
};

const bareSide = () => {
  // What finish() has to do at minimum: write one flush interval's worth (256 KiB) and close the file.
  const path = join(store, `bare${rep++}`);
  const chunk = Buffer.alloc(256 * 1024, 'x');
  const t0 = performance.now();
  const fd = openSync(path, 'w');
  writeSync(fd, chunk);
  closeSync(fd);
  const seconds = (performance.now() - t0) / 1000;
  rmSync(path, { force: true });
  return seconds;
};

const comparison = await interleave(
  `finish() after ${ROWS.toLocaleString()} logged rows`,
  [
    { name: 'run.finish()', run: finishSide },
    { name: 'bare write of one 256 KiB flush + close', run: bareSide },
  ],
  { repeats: 5, unit: 'seconds' },
);
printComparison(comparison);
console.log(`  ${RUN_FILES.history}: ${(lastHistoryBytes / 2 ** 20).toFixed(1)} MiB for ${ROWS.toLocaleString()} rows`);
writeResults('core-finish', { ...comparison, historyBytes: lastHistoryBytes });
rmSync(store, { recursive: true, force: true });
