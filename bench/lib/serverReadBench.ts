// The server's read side (issue 15, "Chart" and list): on a throwaway PostgreSQL 15 cluster behind `runlog server`
// (its own process, the built CLI):
//  - first chart data of 3 series x 1M points through `new Api({ host })`: the 3 outlines (per-block
//    first/last/min/max, 512 rows a block) and their M4 envelope, < 1 s, payload bounded by blocks, not rows;
//    baseline: the same block rows read by a bare SQL query (pg) in the same run;
//  - a zoom to 2% of one history (full rows for the range only);
//  - 1,000 runs listed with a filter and an order through the Api, < 1 s; baseline: a bare SELECT of the same
//    documents;
//  - the first chart of the server's dashboard (/api/series, 1,000 buckets), each time with a new token (a new
//    dashboard, nothing cached).
// BENCH_CHART_ROWS shrinks the histories for a smoke run. With a baseline build (BENCH_BASELINE_BIN), its server
// runs on the same database as a third side of each comparison (the same Api client reads both).
import { type ChildProcess, spawn } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { Api, HistoryOutline } from '@runlog/core';
import pg from 'pg';
import { freePort, startPostgresCluster } from '../../packages/server/test/support/postgresCluster.js';
import { interleave, printComparison, writeResults } from './interleave.js';
import { runlogCli } from './serverChild.js';

const ROWS = Number(process.env.BENCH_CHART_ROWS ?? 1_000_000);
const SERIES = 3;
const LIST_RUNS = 1000;

async function post(
  url: string,
  token: string,
  body: Buffer | string,
  headers: Record<string, string>,
  method = 'POST',
) {
  const response = await fetch(url, {
    method,
    body: body as BodyInit,
    headers: { authorization: `Bearer ${token}`, ...headers },
  });
  if (response.status !== 200) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  await response.arrayBuffer();
}

/** One run's history, sent as protocol batches of ~1 MiB (gzip), as `runlog sync` sends it. */
async function sendHistory(base: string, token: string, run: string, series: number): Promise<void> {
  let batch: string[] = [];
  let size = 0;
  let offset = 0;
  const flush = async () => {
    const text = batch.join('');
    await post(
      `${base}/api/v1/projects/chart/runs/${run}/streams/history?offset=${offset}`,
      token,
      gzipSync(text, { level: 1 }),
      {
        'content-type': 'application/octet-stream',
        'content-encoding': 'gzip',
      },
    );
    offset += Buffer.byteLength(text);
    batch = [];
    size = 0;
  };
  for (let step = 0; step < ROWS; step++) {
    const loss = 1 / (step + 1) + 0.05 * Math.sin(step / 50 + series) + (step % 9973 === 0 ? 0.5 : 0);
    const line = `{"_step":${step},"_runtime":${step / 100},"_timestamp":${1_795_327_200 + step / 100},"loss":${loss}}\n`;
    batch.push(line);
    size += line.length;
    if (size >= 1 << 20) await flush();
  }
  if (batch.length) await flush();
}

function runDocument(project: string, id: string, i: number) {
  const at = new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString();
  return {
    formatVersion: 1,
    id,
    project,
    name: `run-${i}`,
    state: i % 10 === 0 ? 'failed' : 'finished',
    exitCode: i % 10 === 0 ? 1 : 0,
    createdAt: at,
    startedAt: at,
    finishedAt: at,
    updatedAt: at,
    tags: i % 3 === 0 ? ['baseline'] : ['sweep'],
    config: { lr: 10 ** -(1 + (i % 4)), batch: 32 << (i % 3), model: { layers: 2 + (i % 5) } },
  };
}

async function startServer(cli: string, databaseUrl: string) {
  const port = await freePort();
  const child = spawn(process.execPath, [cli, 'server', '--port', String(port), '--database-url', databaseUrl], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) =>
    child.stdout.on('data', (d) => String(d).includes('runlog server at') && resolve()),
  );
  return { child, base: `http://127.0.0.1:${port}` };
}

export async function benchServerReads(bin: string, baselineBin?: string): Promise<void> {
  const cluster = await startPostgresCluster();
  const sql = new pg.Pool({ connectionString: cluster.url, max: 4 });
  const servers: ChildProcess[] = [];
  try {
    const current = await startServer(bin, cluster.url);
    servers.push(current.child);
    const before = baselineBin ? await startServer(baselineBin, cluster.url) : undefined;
    if (before) servers.push(before.child);
    const base = current.base;
    const args = ['server', 'token', 'create', '--database-url', cluster.url, '--role'];
    const token = (await runlogCli([...args, 'write'], bin)).trim().split('\n').at(-1) ?? '';
    let start = performance.now();
    await Promise.all(Array.from({ length: SERIES }, (_, s) => sendHistory(base, token, `series${s}`, s)));
    console.log(
      `ingested ${SERIES} x ${ROWS.toLocaleString('en')} rows in ${((performance.now() - start) / 1000).toFixed(1)} s`,
    );
    start = performance.now();
    for (let i = 0; i < LIST_RUNS; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, async (_, j) => {
          const id = `r${String(i + j).padStart(4, '0')}`;
          const doc = (name: string, seq: number, body: unknown) =>
            post(
              `${base}/api/v1/projects/many/runs/${id}/documents/${name}?seq=${seq}`,
              token,
              JSON.stringify(body),
              { 'content-type': 'application/json' },
              'PUT',
            );
          await doc('run.json', 1, runDocument('many', id, i + j));
          await doc('summary.json', 1, {
            loss: (((i + j) * 7919) % 1000) / 1000,
            acc: (((i + j) * 104729) % 1000) / 1000,
            _step: 99,
          });
        }),
      );
    }
    console.log(`recorded ${LIST_RUNS} runs in ${((performance.now() - start) / 1000).toFixed(1)} s`);

    const api = new Api({ host: base, apiKey: token });
    const apiBefore = before ? new Api({ host: before.base, apiKey: token }) : undefined;
    const refs = Array.from({ length: SERIES }, (_, s) => ({ project: 'chart', id: `series${s}` }));
    let chartBytes = 0;
    let points = 0;
    const chartOf = (reader: Api) => async () => {
      const t = performance.now();
      const outlines = await Promise.all(refs.map((ref) => reader.access.historyOutline(ref)));
      for (const [s, data] of outlines.entries()) new HistoryOutline(data!, reader.access, refs[s]).envelope('loss');
      return (performance.now() - t) / 1000;
    };
    const firstChart = async () => {
      const t = performance.now();
      const outlines = await Promise.all(refs.map((ref) => api.access.historyOutline(ref)));
      const envelopes = outlines.map((data, s) => new HistoryOutline(data!, api.access, refs[s]).envelope('loss'));
      const seconds = (performance.now() - t) / 1000;
      points = envelopes.reduce((n, e) => n + e.steps.length, 0);
      chartBytes = 0;
      for (const ref of refs) {
        const r = await fetch(`${base}/api/v1/projects/chart/runs/${ref.id}/history/outline?format=compact`, {
          headers: { authorization: `Bearer ${token}` },
        });
        chartBytes += (await r.arrayBuffer()).byteLength;
      }
      return seconds;
    };
    const bareBlocks = async () => {
      const t = performance.now();
      await Promise.all(
        refs.map((ref) =>
          sql.query(
            `SELECT b.start_offset, b.end_offset, b.rows, b.first_step, b.last_step, b.keys FROM history_blocks b
             JOIN runs r ON r.pk = b.run_pk WHERE r.project = $1 AND r.run_id = $2 ORDER BY b.block`,
            [ref.project, ref.id],
          ),
        ),
      );
      return (performance.now() - t) / 1000;
    };
    const chart = await interleave(
      `first chart data, ${SERIES} series x ${ROWS.toLocaleString('en')} points, through new Api({ host })`,
      [
        { name: 'runlog server: 3 outlines + M4 envelope (Api)', run: firstChart },
        { name: 'bare SQL: the same block rows (pg)', run: bareBlocks },
        ...(apiBefore ? [{ name: 'baseline build: 3 outlines + envelope (Api)', run: chartOf(apiBefore) }] : []),
      ],
      { unit: 's', repeats: 5 },
    );
    printComparison(chart);
    console.log(`  payload ${(chartBytes / 1e6).toFixed(2)} MB for ${points.toLocaleString('en')} envelope points`);

    const zoomFrom = Math.floor(ROWS * 0.49);
    const zoomTo = zoomFrom + Math.floor(ROWS * 0.02);
    const zoom = await interleave(
      `zoom to 2% of one history (${(zoomTo - zoomFrom).toLocaleString('en')} full rows)`,
      [
        {
          name: 'runlog server: readHistoryRange (Api)',
          run: async () => {
            const t = performance.now();
            await api.access.readHistoryRange(refs[0], zoomFrom, zoomTo - 1);
            return (performance.now() - t) / 1000;
          },
        },
        {
          name: 'bare SQL: the same rows (pg)',
          run: async () => {
            const t = performance.now();
            await sql.query(
              `SELECT h.row::text FROM history_rows h JOIN runs r ON r.pk = h.run_pk
               WHERE r.project = 'chart' AND r.run_id = 'series0' AND h.step BETWEEN $1 AND $2 ORDER BY h.step`,
              [zoomFrom, zoomTo - 1],
            );
            return (performance.now() - t) / 1000;
          },
        },
      ],
      { unit: 's', repeats: 5 },
    );
    printComparison(zoom);

    let listed = 0;
    const listOf = (reader: Api) => async () => {
      const t = performance.now();
      await reader
        .runs('many', {
          filters: { state: 'finished', 'summary.loss': { $lt: 0.8 }, tags: 'sweep' },
          order: '-summary.acc',
        })
        .toArray();
      return (performance.now() - t) / 1000;
    };
    const list = await interleave(
      `${LIST_RUNS.toLocaleString('en')} runs listed with a filter and an order`,
      [
        {
          name: 'runlog server: api.runs(filters, order)',
          run: async () => {
            const t = performance.now();
            const runs = await api
              .runs('many', {
                filters: { state: 'finished', 'summary.loss': { $lt: 0.8 }, tags: 'sweep' },
                order: '-summary.acc',
              })
              .toArray();
            listed = runs.length;
            return (performance.now() - t) / 1000;
          },
        },
        {
          name: 'bare SQL: the same documents (pg)',
          run: async () => {
            const t = performance.now();
            await sql.query("SELECT record, summary FROM runs WHERE project = 'many'");
            return (performance.now() - t) / 1000;
          },
        },
        ...(apiBefore ? [{ name: 'baseline build: api.runs(filters, order)', run: listOf(apiBefore) }] : []),
      ],
      { unit: 's', repeats: 5 },
    );
    printComparison(list);
    console.log(`  ${listed} of ${LIST_RUNS} runs matched`);

    // The server's dashboard: its first chart of the 3 histories, each time through a new token (a new dashboard,
    // nothing cached), 5 times; the baseline build's once at the end (its dashboard then reads every row).
    const dashboardChart = async (host: string) => {
      const viewer = (await runlogCli([...args, 'read'], bin)).trim().split('\n').at(-1) ?? '';
      const t = performance.now();
      const answer = await fetch(
        `${host}/api/series?runs=${refs.map((r) => `chart/${r.id}`).join(',')}&key=loss&buckets=1000`,
        { headers: { authorization: `Bearer ${viewer}` } },
      );
      const bytes = (await answer.arrayBuffer()).byteLength;
      return { seconds: (performance.now() - t) / 1000, bytes };
    };
    const dashboardRuns: number[] = [];
    let dashboardBytes = 0;
    for (let i = 0; i < 5; i++) {
      const { seconds, bytes } = await dashboardChart(base);
      dashboardRuns.push(seconds);
      dashboardBytes = bytes;
    }
    const sortedDashboard = [...dashboardRuns].sort((a, b) => a - b);
    const dashboardSeconds = sortedDashboard[2];
    console.log(
      `dashboard /api/series first chart (new dashboard each time): median ${dashboardSeconds.toFixed(3)} s, best ${sortedDashboard[0].toFixed(3)} s, ${(dashboardBytes / 1e3).toFixed(0)} kB`,
    );
    if (before) {
      const once = await dashboardChart(before.base);
      console.log(
        `  baseline build's dashboard, once: ${once.seconds.toFixed(3)} s, ${(once.bytes / 1e3).toFixed(0)} kB`,
      );
    }
    console.log(
      `results: ${writeResults('server-reads', { rows: ROWS, series: SERIES, chart, chartBytes, points, zoom, list, listed, dashboardSeconds, dashboardBytes })}`,
    );
  } finally {
    for (const child of servers) child.kill('SIGKILL');
    await sql.end();
    cluster.stop();
  }
}
