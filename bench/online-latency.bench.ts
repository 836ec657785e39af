// Online mode (issue 16): the time from run.log() to the row being acknowledged (committed, readable) by the
// server, with 16 online runs streaming at once to one `runlog server` (PGlite, a child process). Each run logs
// a 5-scalar row every 5 ms (16 x 200 rows/s); a 10 ms poller reads each run's status().sync.rowsAcknowledged and
// records, for every newly acknowledged step, now - the time it was logged. Two settings: the defaults (history
// flushed to disk every 500 ms, sent every 1 s) and a low-latency pair (100 ms, 200 ms).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init, type Run } from '@runlog/core';
import { writeResults } from './lib/interleave.js';
import { startPgliteServer } from './lib/serverChild.js';

const CLIENTS = 16;
const SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 15);
const INTERVAL_MS = 5;
const work = mkdtempSync(join(tmpdir(), 'runlog-bench-latency-'));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

async function measure(label: string, settings: { flushIntervalMs: number; syncIntervalMs: number }) {
  const server = await startPgliteServer(join(work, `server-${settings.syncIntervalMs}`), 'bench');
  try {
    const runs: Run[] = [];
    for (let c = 0; c < CLIENTS; c++) {
      runs.push(
        await init({
          project: 'bench',
          dir: join(work, 'store'),
          mode: 'online',
          host: server.url,
          apiKey: server.token,
          settings: { quiet: true, console: false, systemMetrics: false, processHooks: false, ...settings },
        }),
      );
    }
    const loggedAt = runs.map(() => [] as number[]);
    const seen = runs.map(() => 0);
    const latencies: number[] = [];
    const poller = setInterval(() => {
      const now = performance.now();
      runs.forEach((run, c) => {
        const acked = run.status().sync?.rowsAcknowledged ?? 0;
        for (let step = seen[c]; step < acked && step < loggedAt[c].length; step++)
          latencies.push(now - loggedAt[c][step]);
        seen[c] = Math.max(seen[c], Math.min(acked, loggedAt[c].length));
      });
    }, 10);
    const until = performance.now() + SECONDS * 1000;
    await Promise.all(
      runs.map(async (run, c) => {
        for (let i = 0; performance.now() < until; i++) {
          loggedAt[c].push(performance.now());
          run.log({ loss: 1 / (i + 1), acc: i / 1e4, lr: 0.001, epoch: i >> 10, grad_norm: Math.sin(i) });
          await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
        }
      }),
    );
    // The rows still in flight are acknowledged within a few intervals; then the runs finish.
    const settleUntil = performance.now() + 20_000;
    while (seen.some((s, c) => s < loggedAt[c].length) && performance.now() < settleUntil)
      await new Promise((resolve) => setTimeout(resolve, 20));
    clearInterval(poller);
    await Promise.all(runs.map((run) => run.finish()));
    const logged = loggedAt.reduce((n, l) => n + l.length, 0);
    const sorted = latencies.sort((a, b) => a - b);
    const result = {
      label,
      settings,
      clients: CLIENTS,
      rowsLogged: logged,
      rowsMeasured: sorted.length,
      rowsPerSecond: logged / SECONDS,
      p50: percentile(sorted, 0.5),
      p90: percentile(sorted, 0.9),
      p99: percentile(sorted, 0.99),
      max: sorted.at(-1),
    };
    console.log(
      `${label}: ${CLIENTS} online runs, ${result.rowsPerSecond.toFixed(0)} rows/s in all; log() -> acknowledged by the server p50 ${result.p50.toFixed(0)} ms, p90 ${result.p90.toFixed(0)} ms, p99 ${result.p99.toFixed(0)} ms, max ${result.max?.toFixed(0)} ms (${result.rowsMeasured} of ${logged} rows measured)`,
    );
    return result;
  } finally {
    await server.stop();
  }
}

try {
  const results = [
    await measure('defaults (flush 500 ms, sync 1 s)', { flushIntervalMs: 500, syncIntervalMs: 1000 }),
    await measure('low latency (flush 100 ms, sync 200 ms)', { flushIntervalMs: 100, syncIntervalMs: 200 }),
  ];
  console.log(`results: ${writeResults('online-latency', results)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
