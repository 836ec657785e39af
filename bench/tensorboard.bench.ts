// @runlog/tensorboard (issue 17), each figure a ratio against a baseline measured in the same run, interleaved:
//  1. crc32c: runlog's slicing-by-8 JS against the classic byte-at-a-time table loop (MB/s).
//  2. import of an event file of 1M scalars + 1,000 histograms (tf.node.tensorBoard's form: one simple_value per
//     event, HistogramProto) into a runlog run, against TensorBoard's own Python EventAccumulator loading the
//     same file (target >= 3x faster). Python's time is Reload() alone, measured inside the Python process.
//  3. export of a 1M-row run (4 scalars a row) against a bare framing loop writing the same records (target >= 0.5x).
//  4. run.log of a 5-scalar dict with the live sink against without it (target >= 0.5x).
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api, init } from '@runlog/core';
import {
  EventFileWriter,
  exportRuns,
  importTensorboard,
  maskedCrc32c,
  crc32c as runlogCrc32c,
  tensorboardSink,
} from '@runlog/tensorboard';
import { interleave, median, printComparison, writeResults } from './lib/interleave.js';

const work = mkdtempSync(join(tmpdir(), 'runlog-bench-tb-'));
const quiet = { console: false, systemMetrics: false, quiet: true } as const;
const results = [];
// BENCH_TB_PART=export (or a comma-separated list of crc, import, export, sink) runs only those parts.
const parts = new Set((process.env.BENCH_TB_PART ?? 'crc,import,export,sink').split(','));

function python(): string {
  const venv = join(import.meta.dirname, '..', '.tmp', 'tb-venv', 'bin', 'python');
  const path = process.env.RUNLOG_TB_PYTHON ?? venv;
  if (!existsSync(path))
    spawnSync('bash', [join(import.meta.dirname, '..', 'scripts', 'ensure-tensorboard-venv.sh')], { stdio: 'inherit' });
  return path;
}

// ---- 1. crc32c ---------------------------------------------------------------------------------------------

const BYTE_TABLE = Int32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  return c;
});
function byteAtATimeCrc32c(bytes: Uint8Array): number {
  let crc = ~0;
  for (let i = 0; i < bytes.length; i++) crc = BYTE_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return ~crc >>> 0;
}
if (parts.has('crc')) {
  const data = Uint8Array.from({ length: 64 << 20 }, (_, i) => (i * 2654435761) >>> 24);
  if (runlogCrc32c(data) !== byteAtATimeCrc32c(data)) throw new Error('crc32c implementations disagree');
  const mbps = (fn: (b: Uint8Array) => number) => () => {
    const start = performance.now();
    fn(data);
    return data.length / 1e6 / ((performance.now() - start) / 1000);
  };
  const c = await interleave(
    'crc32c of 64 MiB',
    [
      { name: 'runlog crc32c (slicing-by-8)', run: mbps((b) => runlogCrc32c(b)) },
      { name: 'byte-at-a-time table loop', run: mbps(byteAtATimeCrc32c) },
    ],
    { unit: 'MB/s', higherIsBetter: true, repeats: 7 },
  );
  printComparison(c);
  results.push(c);
}

// ---- 2. import --------------------------------------------------------------------------------------------

async function writeEventFile(folder: string, steps: number): Promise<void> {
  const writer = new EventFileWriter(join(folder, 'events.out.tfevents.1700000000.bench'));
  const encoder = writer.encoder;
  const edges = Array.from({ length: 65 }, (_, i) => -1 + i / 32);
  const counts = Array.from({ length: 64 }, (_, i) => i + 1);
  for (let step = 0; step < steps; step++) {
    for (const [tag, value] of [
      ['loss', 1 / (step + 1)],
      ['acc', step / steps],
      ['lr', 0.001],
      ['grad_norm', Math.sin(step) + 2],
    ] as const) {
      encoder.beginEvent(1700000000 + step / 100, step);
      encoder.simpleValue(tag, value);
      encoder.endEvent();
    }
    if (step % (steps / 1000) === 0) {
      encoder.beginEvent(1700000000 + step / 100, step);
      encoder.histogram('weights', edges, counts);
      encoder.endEvent();
    }
    if (writer.pendingBytes > 4 << 20) await writer.flush();
  }
  await writer.close();
}
if (parts.has('import')) {
  const logdir = join(work, 'import');
  await writeEventFile(join(logdir, 'run'), 250_000); // 1,000,000 scalars + 1,000 histograms
  const warm = join(work, 'import-warm');
  await writeEventFile(join(warm, 'run'), 10_000);
  await importTensorboard(warm, { project: 'warm', dir: join(work, 'store-warm') });
  let rep = 0;
  const c = await interleave(
    'import of 1M scalars + 1,000 histograms (45 MB event file)',
    [
      {
        name: 'runlog importTensorboard (into a runlog run)',
        run: async () => {
          const store = join(work, `store-import-${rep++}`);
          const start = performance.now();
          const [run] = await importTensorboard(logdir, { project: 'bench', dir: store });
          const seconds = (performance.now() - start) / 1000;
          if (run.stats.values !== 1_001_000) throw new Error(`imported ${run.stats.values} values`);
          rmSync(store, { recursive: true, force: true });
          return seconds;
        },
      },
      {
        name: "TensorBoard's Python EventAccumulator.Reload()",
        run: () => {
          const script = join(import.meta.dirname, 'fixtures', 'tensorboardAccumulator.py');
          const out = JSON.parse(execFileSync(python(), [script, join(logdir, 'run'), 'legacy'], { encoding: 'utf8' }));
          if (out.scalars !== 1_000_000 || out.histograms !== 1000)
            throw new Error(`python read ${JSON.stringify(out)}`);
          return out.seconds;
        },
      },
    ],
    { unit: 's', repeats: 5, warmup: false },
  );
  printComparison(c);
  console.log(
    `  speed-up (python / runlog): median ${(1 / c.ratioMedian).toFixed(2)}x, best ${(1 / c.ratioBest).toFixed(2)}x`,
  );
  results.push(c);
}

// ---- 3. export --------------------------------------------------------------------------------------------

/** The Event records of an event file (its TFRecord frames' data), read without checking anything. */
function recordsOf(path: string): Uint8Array[] {
  const bytes = new Uint8Array(readFileSync(path));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; ) {
    const length = view.getUint32(at, true);
    records.push(bytes.subarray(at + 12, at + 12 + length));
    at += 16 + length;
  }
  return records;
}

/** The baseline: frame already-encoded records (length, masked crcs) into an 8 MiB buffer and write them. */
function bareFraming(records: Uint8Array[], path: string): void {
  const fd = openSync(path, 'w');
  const buffer = Buffer.allocUnsafe(8 << 20);
  let pos = 0;
  for (const record of records) {
    if (pos + record.length + 16 > buffer.length) {
      writeSync(fd, buffer, 0, pos);
      pos = 0;
    }
    buffer.writeUInt32LE(record.length, pos);
    buffer.writeUInt32LE(0, pos + 4);
    buffer.writeUInt32LE(maskedCrc32c(buffer, pos, pos + 8), pos + 8);
    buffer.set(record, pos + 12);
    buffer.writeUInt32LE(maskedCrc32c(record), pos + 12 + record.length);
    pos += 16 + record.length;
  }
  writeSync(fd, buffer, 0, pos);
  closeSync(fd);
}
if (parts.has('export')) {
  const store = join(work, 'export-store');
  const run = await init({ project: 'bench', id: 'big', dir: store, settings: quiet });
  for (let i = 0; i < 1_000_000; i++) run.log({ loss: 1 / (i + 1), acc: i * 1e-6, lr: 0.001, epoch: i >> 10 });
  await run.finish();
  const view = await new Api({ dir: store }).run('bench/big');
  const [first] = await exportRuns([view], { logdir: join(work, 'export-first') });
  const records = recordsOf(first.file);
  // CPU time of the same repetitions too: at a load of 10 and more, wall time mostly measures the other processes.
  const cpuSamples: number[][] = [[], []];
  const cpuRate = (side: number, start: NodeJS.CpuUsage) => {
    const used = process.cpuUsage(start);
    cpuSamples[side].push(1_000_000 / ((used.user + used.system) / 1e6));
  };
  const c = await interleave(
    'export of a 1M-row run (4 scalars a row, 125 MB of events)',
    [
      {
        name: 'runlog exportRuns (HistoryScan.visit: flat rows from the bytes, events laid out per set of keys)',
        run: async () => {
          const cpu = process.cpuUsage();
          const start = performance.now();
          await exportRuns([view], { logdir: join(work, 'export-out') });
          const rate = 1_000_000 / ((performance.now() - start) / 1000);
          cpuRate(0, cpu);
          return rate;
        },
      },
      {
        name: 'bare framing loop of the same records',
        run: () => {
          const cpu = process.cpuUsage();
          const start = performance.now();
          bareFraming(records, join(work, 'bare.tfevents'));
          const rate = 1_000_000 / ((performance.now() - start) / 1000);
          cpuRate(1, cpu);
          return rate;
        },
      },
      {
        name: 'for reference: scanHistory alone (no writing)',
        run: async () => {
          const start = performance.now();
          let rows = 0;
          for await (const page of view.scanHistory({ pageSize: 4096 }).pages()) rows += page.length;
          if (rows !== 1_000_000) throw new Error(`read ${rows} rows`);
          return 1_000_000 / ((performance.now() - start) / 1000);
        },
      },
      {
        name: 'for reference: HistoryScan.visit alone (no encoding or writing)',
        run: async () => {
          const start = performance.now();
          let sum = 0;
          const rows = await view.scanHistory().visit({
            flat: (row) => {
              sum += row.values[0];
            },
            row: () => undefined,
          });
          if (rows !== 1_000_000 || !(sum > 0)) throw new Error(`read ${rows} rows`);
          return 1_000_000 / ((performance.now() - start) / 1000);
        },
      },
    ],
    { unit: 'rows/s', higherIsBetter: true, repeats: 5 },
  );
  printComparison(c);
  results.push(c);
  const [exportCpu, bareCpu] = cpuSamples.map((samples) => samples.slice(1)); // without the warm-up round
  const byCpu = {
    title: 'export of a 1M-row run, by CPU time (the same repetitions)',
    unit: 'rows per CPU-second',
    higherIsBetter: true,
    sides: [
      { name: c.sides[0].name, samples: exportCpu, min: Math.max(...exportCpu), median: median(exportCpu) },
      { name: c.sides[1].name, samples: bareCpu, min: Math.max(...bareCpu), median: median(bareCpu) },
    ],
    ratioMedian: median(exportCpu) / median(bareCpu),
    ratioBest: Math.max(...exportCpu) / Math.max(...bareCpu),
  };
  printComparison(byCpu);
  results.push(byCpu);
}

// ---- 4. live sink -----------------------------------------------------------------------------------------

if (parts.has('sink')) {
  const CALLS = 500_000;
  let rep = 0;
  const logRate = (withSink: boolean) => async () => {
    const dir = join(work, `sink-${rep++}`);
    const run = await init({ project: 'bench', dir, settings: quiet });
    const sink = withSink ? tensorboardSink(run, join(dir, 'tb')) : undefined;
    const start = performance.now();
    for (let i = 0; i < CALLS; i++) {
      run.log({ loss: 1 / (i + 1), acc: i * 1e-6, lr: 0.001, epoch: i >> 10, grad_norm: 0.5 + i * 1e-7 });
    }
    const rate = CALLS / ((performance.now() - start) / 1000);
    await run.finish();
    await sink?.done;
    rmSync(dir, { recursive: true, force: true });
    return rate;
  };
  const c = await interleave(
    'run.log of a 5-scalar dict, 500k calls',
    [
      { name: 'with tensorboardSink', run: logRate(true) },
      { name: 'without', run: logRate(false) },
    ],
    { unit: 'calls/s', higherIsBetter: true, repeats: 5 },
  );
  printComparison(c);
  results.push(c);
}

const load = execFileSync('uptime', { encoding: 'utf8' }).trim();
console.log(`\nload: ${load}`);
console.log(`results: ${writeResults('tensorboard', { load, comparisons: results })}`);
rmSync(work, { recursive: true, force: true });
