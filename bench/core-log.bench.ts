// run.log of a 5-scalar dict, history on disk, against a bare JSON.stringify + buffered append writer.
// Target (issue 2): >= 500,000 calls/s sustained and >= 1.0x the baseline's throughput.
// Cases: the issue's row (floats of up to 16 digits); the same with float32 values, what tfjs metrics are
// (`dataSync()` gives float32s, whose text as doubles is mostly 17 digits long); the issue's row with an explicit
// step (wandb's `log(d, step=i)`, whose row is written when the next step comes); t9k's logMetrics.
// Online mode (issue 16): the same run.log with the run streaming to a `runlog server` (PGlite, a child process)
// against the same loop offline, target >= 0.8x; the loop awaits every 1,000 calls, as a training loop does
// between batches, so the background syncer really runs while log() is timed.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init, type Run } from '@runlog/core';
import { RUN_FILES } from '@runlog/core/internal';
import { interleave, median, printComparison, writeResults } from './lib/interleave.js';
import { startPgliteServer } from './lib/serverChild.js';

const CALLS = 1_000_000;
const store = mkdtempSync(join(tmpdir(), 'runlog-bench-log-'));

/** The baseline: what a minimal logger does — stringify the row and append it through a 1 MiB buffer. */
function bareWriter(path: string) {
  const fd = openSync(path, 'a');
  let parts: string[] = [];
  let size = 0;
  const start = performance.now();
  let step = 0;
  return {
    log(data: Record<string, number>) {
      const line = `${JSON.stringify({ ...data, _step: step++, _runtime: (performance.now() - start) / 1000, _timestamp: Date.now() / 1000 })}\n`;
      parts.push(line);
      size += line.length;
      if (size >= 1 << 20) this.flush();
    },
    flush() {
      writeSync(fd, parts.join(''));
      parts = [];
      size = 0;
    },
    close() {
      this.flush();
      closeSync(fd);
    },
  };
}

type Row = Record<string, number>;
const issueRow = (i: number): Row => ({
  loss: 1 / (i + 1),
  acc: i * 1e-6,
  lr: 0.001,
  epoch: i >> 10,
  grad_norm: 0.5 + i * 1e-7,
});
const float32Row = (i: number): Row => ({
  loss: Math.fround(1 / (i + 1)),
  acc: Math.fround(i * 1e-6),
  lr: Math.fround(0.001),
  epoch: i >> 10,
  grad_norm: Math.fround(0.5 + i * 1e-7),
});

/**
 * What each comparison logs: `log` makes one runlog call, `row` is the row it writes (keys and values), which
 * the baseline writes too and the check reads back.
 */
interface Case {
  label: string;
  log: (run: Run, i: number) => void;
  row: (i: number) => Row;
}
const CASES: Case[] = [
  { label: 'run.log of a 5-scalar dict', log: (run, i) => run.log(issueRow(i)), row: issueRow },
  {
    label: 'run.log of a 5-scalar dict of float32 values (tfjs metrics)',
    log: (run, i) => run.log(float32Row(i)),
    row: float32Row,
  },
  {
    label: "run.log(dict, { step }) (wandb's explicit step: each row waits for the next step)",
    log: (run, i) => run.log(issueRow(i), { step: i }),
    row: issueRow,
  },
  {
    label: "run.logMetrics('train', dict, { step, epoch }) (t9k)",
    log: (run, i) => {
      const { epoch, ...metrics } = issueRow(i);
      run.logMetrics('train', metrics, { step: i, epoch });
    },
    row: (i) => {
      const { epoch, ...metrics } = issueRow(i);
      const row: Row = {};
      for (const [key, value] of Object.entries(metrics)) row[`train/${key}`] = value;
      row.epoch = epoch;
      return row;
    },
  },
];

/** Untimed: every call is a row on disk, and sampled rows read back with the values logged. */
function checkRows(path: string, row: (i: number) => Row): void {
  const lines = readFileSync(path, 'utf8').split('\n');
  lines.pop();
  if (lines.length !== CALLS) throw new Error(`${RUN_FILES.history} has ${lines.length} rows, expected ${CALLS}`);
  for (let i = 0; i < CALLS; i += 9973) {
    const written = JSON.parse(lines[i]);
    for (const [key, value] of Object.entries(row(i))) {
      if (written[key] !== value) throw new Error(`row ${i}: ${key} is ${written[key]}, logged ${value}`);
    }
  }
}

let rep = 0;
const runlogSide = (test: Case) => async () => {
  const run = await init({
    project: 'bench',
    dir: store,
    id: `log${rep++}`,
    settings: { quiet: true, console: false, systemMetrics: false },
  });
  global.gc?.();
  const t0 = performance.now();
  for (let i = 0; i < CALLS; i++) test.log(run, i);
  await run.flush();
  const seconds = (performance.now() - t0) / 1000;
  await run.finish();
  checkRows(join(run.dir, RUN_FILES.history), test.row);
  rmSync(run.dir, { recursive: true, force: true });
  return CALLS / seconds;
};
const bareSide = (test: Case) => () => {
  const path = join(store, `bare${rep++}.jsonl`);
  const writer = bareWriter(path);
  global.gc?.();
  const t0 = performance.now();
  for (let i = 0; i < CALLS; i++) writer.log(test.row(i));
  writer.close();
  const seconds = (performance.now() - t0) / 1000;
  rmSync(path, { force: true });
  return CALLS / seconds;
};

const ONLINE_CALLS = Number(process.env.BENCH_ONLINE_CALLS ?? 300_000);

/** run.log online vs offline, same loop (a yield every 1,000 calls); the upload's end is waited for untimed. */
async function onlineComparison() {
  // BENCH_SERVER_NICE=19: the server at the lowest priority (a server of its own, as far as one machine allows).
  const nice = Number(process.env.BENCH_SERVER_NICE ?? 0);
  const server = await startPgliteServer(join(store, 'server'), 'bench', nice);
  // CPU seconds of this process (both threads of log() and the syncer, not the server's) per repetition.
  const cpuSeconds = { online: [] as number[], offline: [] as number[] };
  const side = (mode: 'online' | 'offline') => async () => {
    const run = await init({
      project: 'bench',
      dir: store,
      id: `${mode}${rep++}`,
      mode,
      ...(mode === 'online' ? { host: server.url, apiKey: server.token } : {}),
      settings: { quiet: true, console: false, systemMetrics: false, syncTimeoutMs: 600_000 },
    });
    global.gc?.();
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < ONLINE_CALLS; i++) {
      run.log(issueRow(i));
      if (i % 1000 === 999) await new Promise((resolve) => setImmediate(resolve));
    }
    await run.flush();
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    cpuSeconds[mode].push((cpu.user + cpu.system) / 1e6);
    await run.finish();
    const sync = run.status().sync;
    if (mode === 'online' && (sync?.state !== 'done' || sync.rowsAcknowledged !== ONLINE_CALLS))
      throw new Error(`the server acknowledged ${sync?.rowsAcknowledged} rows of ${ONLINE_CALLS}`);
    rmSync(run.dir, { recursive: true, force: true });
    return ONLINE_CALLS / seconds;
  };
  try {
    const comparison = await interleave(
      `run.log online (streaming to runlog server on PGlite${nice ? `, nice ${nice}` : ''}) vs offline, ${ONLINE_CALLS.toLocaleString()} calls per repetition, a yield every 1,000`,
      [
        { name: 'runlog online', run: side('online') },
        { name: 'runlog offline', run: side('offline') },
      ],
      { repeats: 7, unit: 'calls/s', higherIsBetter: true },
    );
    printComparison(comparison);
    const perCpu = (mode: 'online' | 'offline') => ONLINE_CALLS / median(cpuSeconds[mode].slice(1));
    const ratio = perCpu('online') / perCpu('offline');
    console.log(
      `  calls per CPU second of this process (median): online ${perCpu('online').toFixed(0)}, offline ${perCpu('offline').toFixed(0)}, ratio ${ratio.toFixed(3)}`,
    );
    return { ...comparison, perCpuSecond: { online: perCpu('online'), offline: perCpu('offline'), ratio } };
  } finally {
    await server.stop();
  }
}

const comparisons = [];
// BENCH_ONLINE_ONLY=1 runs the online comparison alone.
for (const test of process.env.BENCH_ONLINE_ONLY === '1' ? [] : CASES) {
  const comparison = await interleave(
    `${test.label}, ${CALLS.toLocaleString()} calls per repetition, history on disk`,
    [
      { name: 'runlog', run: runlogSide(test) },
      { name: 'JSON.stringify + buffered append', run: bareSide(test) },
    ],
    { repeats: 7, unit: 'calls/s', higherIsBetter: true },
  );
  printComparison(comparison);
  comparisons.push(comparison);
}
comparisons.push(await onlineComparison());
writeResults('core-log', comparisons);
rmSync(store, { recursive: true, force: true });
