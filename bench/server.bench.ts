// The server's ingestion (issue 15): 16 concurrent clients on loopback, each sending a run of 200,000 rows x 5
// scalars as protocol batches (gzip, ~1 MiB of history each), into PostgreSQL 15 through `runlog server`:
//  - >= 200,000 rows/s, and >= 0.5x a bare COPY of the same rows into the same database (16 COPY streams into a
//    table of history_rows' shape), interleaved, 5 repetitions; p50/p99 batch latency; server RSS < 500 MB;
//  - PGlite's figure (the embedded default) for the same load, once.
// BENCH_SERVER_ROWS=20000 shrinks it for a smoke run. BENCH_BASELINE_BIN=<an older build's packages/cli/dist/bin.js>
// adds that build's server as a third side (before/after in one run). Needs root (a throwaway cluster as user
// postgres).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { freePort, startPostgresCluster } from '../packages/server/test/support/postgresCluster.js';
import { interleave, median, printComparison, writeResults } from './lib/interleave.js';
import { runlogCli } from './lib/serverChild.js';
import { benchServerReads } from './lib/serverReadBench.js';

// BENCH_SERVER_PART=reads: only the read side (charts of 3 x 1M points, zoom, 1,000 runs listed).
if (process.env.BENCH_SERVER_PART === 'reads') {
  await benchServerReads(
    join(import.meta.dirname, '..', 'packages', 'cli', 'dist', 'bin.js'),
    process.env.BENCH_BASELINE_BIN,
  );
  process.exit(0);
}

const CLIENTS = 16;
const ROWS = Number(process.env.BENCH_SERVER_ROWS ?? 200_000);
const BATCH_BYTES = 1 << 20;
const bin = join(import.meta.dirname, '..', 'packages', 'cli', 'dist', 'bin.js');
const work = mkdtempSync(join(tmpdir(), 'runlog-bench-server-'));

function historyText(client: number): string {
  const lines: string[] = [];
  for (let step = 0; step < ROWS; step++) {
    const t = 1_795_327_200 + step / 100;
    lines.push(
      `{"_step":${step},"_runtime":${step / 100},"_timestamp":${t},"loss":${1 / (step + 1)},"acc":${step / ROWS},"lr":0.001,"epoch":${step >> 10},"grad_norm":${0.5 + Math.sin(step + client)}}\n`,
    );
  }
  return lines.join('');
}

/** Each client's batches, cut at line ends and compressed before timing (the client's CPU is not measured). */
const payloads = Array.from({ length: CLIENTS }, (_, c) => {
  const bytes = Buffer.from(historyText(c));
  const batches: { offset: number; body: Buffer }[] = [];
  for (let offset = 0; offset < bytes.length; ) {
    let end = Math.min(bytes.length, offset + BATCH_BYTES);
    if (end < bytes.length) end = bytes.lastIndexOf(0x0a, end - 1) + 1;
    batches.push({ offset, body: gzipSync(bytes.subarray(offset, end), { level: 1 }) });
    offset = end;
  }
  return { bytes, batches };
});
console.log(
  `${CLIENTS} clients x ${ROWS} rows x 5 scalars: ${(payloads[0].bytes.length / 1e6).toFixed(1)} MB and ${payloads[0].batches.length} batches each`,
);

/** `runlog server` in its own process; its peak RSS is sampled from /proc while it runs. */
async function startServer(storage: string[], cli = bin) {
  const port = await freePort();
  const child = spawn(process.execPath, [cli, 'server', '--port', String(port), ...storage], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) =>
    child.stdout.on('data', (d) => String(d).includes('runlog server at') && resolve()),
  );
  let peakRss = 0;
  const sampler = setInterval(() => {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
    if (match) peakRss = Math.max(peakRss, Number(match[1]) * 1024);
  }, 100);
  return {
    url: `http://127.0.0.1:${port}`,
    peakRss: () => peakRss,
    stop: () =>
      new Promise<void>((resolve) => {
        clearInterval(sampler);
        child.once('exit', () => resolve());
        child.kill('SIGINT');
      }),
  };
}

let round = 0;
let retried = 0;
/** Batch latencies by server URL (the baseline build's are kept apart). */
const latenciesOf = new Map<string, number[]>();

/** Every client sends its run's batches in order; returns rows/s over the whole load. */
async function ingest(url: string, token: string): Promise<number> {
  round++;
  const latencies = latenciesOf.get(url) ?? [];
  latenciesOf.set(url, latencies);
  const start = performance.now();
  await Promise.all(
    payloads.map(async ({ batches }, c) => {
      for (let b = 0; b < batches.length; b++) {
        const batch = batches[b];
        const sent = performance.now();
        const response = await fetch(
          `${url}/api/v1/projects/bench/runs/r${round}-${c}/streams/history?offset=${batch.offset}`,
          {
            method: 'POST',
            body: batch.body as unknown as BodyInit,
            headers: {
              authorization: `Bearer ${token}`,
              'content-type': 'application/octet-stream',
              'content-encoding': 'gzip',
            },
          },
        );
        // An overloaded replica answers 503 (or 429): back off and send the batch again, as the sync client does.
        if (response.status === 503 || response.status === 429) {
          await response.arrayBuffer();
          retried++;
          b--;
          await new Promise((resolve) => setTimeout(resolve, 250));
          continue;
        }
        if (response.status !== 200) throw new Error(`batch refused: ${response.status} ${await response.text()}`);
        await response.arrayBuffer();
        latencies.push(performance.now() - sent);
      }
    }),
  );
  return (CLIENTS * ROWS) / ((performance.now() - start) / 1000);
}

const cluster = await startPostgresCluster();
try {
  const sql = new pg.Pool({ connectionString: cluster.url, max: CLIENTS + 2 });
  const token =
    (
      await runlogCli([
        'server',
        'token',
        'create',
        '--database-url',
        cluster.url,
        '--project',
        'bench',
        '--role',
        'write',
      ])
    )
      .trim()
      .split('\n')
      .at(-1) ?? '';
  const server = await startServer(['--database-url', cluster.url]);
  const baselineBin = process.env.BENCH_BASELINE_BIN;
  const before = baselineBin ? await startServer(['--database-url', cluster.url], baselineBin) : undefined;
  await sql.query(
    'CREATE TABLE bench_copy (run_pk bigint NOT NULL, step bigint NOT NULL, byte_offset bigint NOT NULL, row json NOT NULL, PRIMARY KEY (run_pk, step))',
  );

  /** The baseline: the same rows, COPY'd by 16 connections at once into a table of history_rows' shape. */
  const bareCopy = async () => {
    round++;
    const start = performance.now();
    await Promise.all(
      payloads.map(async ({ bytes }, c) => {
        const client = await sql.connect();
        try {
          const text = bytes.toString('utf8');
          let offset = 0;
          const lines = text.split('\n');
          const copyText = lines
            .slice(0, -1)
            .map((line, step) => {
              const row = `${round * 100 + c}\t${step}\t${offset}\t${line}\n`;
              offset += Buffer.byteLength(line) + 1;
              return row;
            })
            .join('');
          await pipeline(Readable.from([copyText]), client.query(copyStreams.from('COPY bench_copy FROM STDIN')));
        } finally {
          client.release();
        }
      }),
    );
    return (CLIENTS * ROWS) / ((performance.now() - start) / 1000);
  };
  const reset = () => sql.query('TRUNCATE history_rows, history_blocks, bench_copy');

  const comparison = await interleave(
    `ingest: ${CLIENTS} clients x ${ROWS.toLocaleString('en')} rows x 5 scalars into PostgreSQL 15`,
    [
      { name: 'runlog server (protocol batches)', run: async () => ingest(server.url, token).finally(reset) },
      { name: 'bare COPY, 16 streams', run: async () => bareCopy().finally(reset) },
      ...(before
        ? [{ name: 'runlog server, baseline build', run: async () => ingest(before.url, token).finally(reset) }]
        : []),
    ],
    { unit: 'rows/s', higherIsBetter: true, repeats: 5 },
  );
  printComparison(comparison);
  if (comparison.sides[2]) {
    const [, copy, old] = comparison.sides;
    console.log(
      `  baseline build / COPY: median ${(old.median / copy.median).toFixed(3)}, best ${(old.min / copy.min).toFixed(3)}`,
    );
  }
  const sorted = [...(latenciesOf.get(server.url) ?? [])].sort((a, b) => a - b);
  const p50 = median(sorted);
  const p99 = sorted[Math.floor(sorted.length * 0.99)];
  console.log(
    `  batch latency p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms; server peak RSS ${(server.peakRss() / 2 ** 20).toFixed(0)} MB; ${retried} batches retried (503/429)`,
  );
  const peakRss = server.peakRss();
  await server.stop();
  await before?.stop();
  await sql.end();

  // PGlite, the embedded default: the same load once (it is one connection: batches queue). BENCH_SERVER_PGLITE=0
  // skips it (16 x 200,000 rows take PGlite many minutes).
  let pglite: { pgliteRate: number; pglitePeakRss: number } | undefined;
  if (process.env.BENCH_SERVER_PGLITE !== '0') {
    const data = join(work, 'pglite');
    const pgliteToken =
      (await runlogCli(['server', 'token', 'create', '--data', data, '--project', 'bench', '--role', 'write']))
        .trim()
        .split('\n')
        .at(-1) ?? '';
    const embedded = await startServer(['--data', data]);
    const pgliteRate = await ingest(embedded.url, pgliteToken);
    console.log(
      `\nPGlite (embedded): ${pgliteRate.toFixed(0)} rows/s for the same load; peak RSS ${(embedded.peakRss() / 2 ** 20).toFixed(0)} MB`,
    );
    await embedded.stop();
    pglite = { pgliteRate, pglitePeakRss: embedded.peakRss() };
  }
  console.log(
    `results: ${writeResults('server', { comparison, p50, p99, peakRss, ...pglite, rows: ROWS, clients: CLIENTS })}`,
  );
} finally {
  cluster.stop();
  rmSync(work, { recursive: true, force: true });
}
