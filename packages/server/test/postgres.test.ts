import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenOffline, type RunningServer, startServer } from '../src/index.js';
import { historyLines, TestClient } from './support/httpClient.js';
import { type PostgresCluster, postgresUnavailable, startPostgresCluster } from './support/postgresCluster.js';
import { sendStream } from './support/streamSender.js';

// One throwaway PostgreSQL 15 cluster for the file; two replicas of the server on it, sharing one blob folder.
const skip = postgresUnavailable();
if (skip) console.warn(`skipping the PostgreSQL tests: ${skip}`);

let cluster: PostgresCluster;
let dir: string;
let replicas: RunningServer[] = [];
let token: string;
let sql: pg.Pool;

async function count(query: string, params: unknown[]): Promise<number> {
  return Number((await sql.query(query, params)).rows[0].n);
}

describe.skipIf(skip)('on PostgreSQL 15', () => {
  beforeAll(async () => {
    cluster = await startPostgresCluster();
    dir = mkdtempSync(join(tmpdir(), 'runlog-server-pg-'));
    sql = new pg.Pool({ connectionString: cluster.url, max: 2 });
    sql.on('error', () => {});
  });
  afterAll(async () => {
    await Promise.allSettled(replicas.map((r) => r.close()));
    await sql?.end();
    cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('migrates once when two replicas start together', async () => {
    replicas = await Promise.all(
      [0, 1].map(() =>
        startServer({ databaseUrl: cluster.url, data: dir, port: 0, rateLimit: { perSecond: 0, burst: 0 } }),
      ),
    );
    expect(replicas.map((r) => r.database)).toEqual(['postgres', 'postgres']);
    expect(await count('SELECT count(*) AS n FROM schema_migrations WHERE version = 1', [])).toBe(1);
    token = (await createTokenOffline({ databaseUrl: cluster.url, project: 'p', role: 'write' })).token;
    for (const replica of replicas) expect((await fetch(`${replica.url}/healthz`)).status).toBe(200);
  });

  it('stores a batch sent to both replicas at the same moment once', async () => {
    const text = historyLines(0, 2000);
    const answers = await Promise.all(
      replicas.map((r) => new TestClient(r.url, token).batch('p/both', 'history', 0, text)),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(answers.map((a) => a.body.applied).sort()).toEqual([0, Buffer.byteLength(text)]);
    expect(
      await count(
        "SELECT count(*) AS n FROM history_rows h JOIN runs r ON r.pk = h.run_pk WHERE r.run_id = 'both'",
        [],
      ),
    ).toBe(2000);
    const blocks = await sql.query(
      "SELECT sum(b.rows) AS n, count(*) AS c FROM history_blocks b JOIN runs r ON r.pk = b.run_pk WHERE r.run_id = 'both'",
    );
    expect([Number(blocks.rows[0].n), Number(blocks.rows[0].c)]).toEqual([2000, 4]);
  });

  it('keeps block statistics exact across batches that cut blocks', async () => {
    const text = historyLines(0, 1500, 1);
    await sendStream(() => new TestClient(replicas[0].url, token), 'p/blocks', 'history', text, 7000);
    const { rows } = await sql.query(
      "SELECT b.block, b.rows, b.first_step, b.last_step, b.keys FROM history_blocks b JOIN runs r ON r.pk = b.run_pk WHERE r.run_id = 'blocks' ORDER BY block",
    );
    expect(rows.map((b) => [b.block, b.rows, Number(b.first_step), Number(b.last_step)])).toEqual([
      [0, 512, 0, 511],
      [1, 512, 512, 1023],
      [2, 476, 1024, 1499],
    ]);
    const values = Array.from({ length: 512 }, (_, i) => Math.sin(512 + i));
    const m0 = rows[1].keys.m0;
    expect(m0[0]).toBe(512);
    expect(m0[6]).toBe(Math.min(...values));
    expect(m0[8]).toBe(Math.max(...values));
    expect(m0[5]).toBe(512 + values.indexOf(Math.min(...values)));
  });

  it('stores rows exactly through COPY and through the conflict path (escapes, tabs, non-ASCII, repeated steps)', async () => {
    const client = new TestClient(replicas[0].url, token);
    const lines = [
      '{"_step":0,"path":"a\\\\b\\"c\\"","loss":1}',
      '{"_step":1,\t"note":"tab\\tand\\nnewline","loss":2}\r',
      '{"_step":2,"name":"h\u00e9llo \u{1F600}","loss":3}',
      '{"_step":3,"bad":"nul\\u0000here","loss":4}',
      'not json',
      '{"_step":4,"loss":5}',
    ];
    const text = `${lines.join('\n')}\n`;
    expect((await client.batch('p/escapes', 'history', 0, text)).status).toBe(200);
    // A second batch repeating step 4 and going back to step 1 cannot be COPY'd: the conflict path skips them.
    const again = '{"_step":4,"loss":50}\n{"_step":1,"loss":20}\n{"_step":5,"loss":6}\n';
    const second = await client.batch('p/escapes', 'history', Buffer.byteLength(text), again);
    expect(second.status).toBe(200);
    // Bytes that are not UTF-8 are stored as U+FFFD (they cannot go to PostgreSQL as they are).
    const raw = Buffer.concat([Buffer.from('{"_step":6,"s":"'), Buffer.from([0xff]), Buffer.from('"}\n')]);
    expect((await client.batch('p/escapes', 'history', Number(second.body.hwm), raw)).status).toBe(200);
    const { rows } = await sql.query(
      "SELECT h.step, h.byte_offset, h.row::text AS row FROM history_rows h JOIN runs r ON r.pk = h.run_pk WHERE r.run_id = 'escapes' ORDER BY step",
    );
    const offsets = [0];
    for (const line of lines) offsets.push(offsets[offsets.length - 1] + Buffer.byteLength(line) + 1);
    expect(rows.map((r) => [Number(r.step), Number(r.byte_offset)])).toEqual([
      [0, offsets[0]],
      [1, offsets[1]],
      [2, offsets[2]],
      [3, offsets[3]],
      [4, offsets[5]],
      [5, Buffer.byteLength(text) + Buffer.byteLength(again) - 21],
      [6, Buffer.byteLength(text) + Buffer.byteLength(again)],
    ]);
    expect(JSON.parse(rows[0].row)).toEqual({ _step: 0, path: 'a\\b"c"', loss: 1 });
    expect(rows[1].row).toBe(lines[1]);
    expect(JSON.parse(rows[2].row).name).toBe('h\u00e9llo \u{1F600}');
    expect(JSON.parse(rows[3].row).bad).toBe('nul\ufffdhere');
    expect(JSON.parse(rows[4].row).loss).toBe(5);
    expect(JSON.parse(rows[6].row).s).toBe('\ufffd');
  });

  it('loses and duplicates nothing when PostgreSQL restarts mid-stream, with the client failing over', async () => {
    const text = historyLines(0, 20_000);
    let turn = 0;
    const clients = () => new TestClient(replicas[turn++ % 2].url, token);
    let restart: Promise<void> | undefined;
    const report = await sendStream(clients, 'p/restart', 'history', text, 32 * 1024, {
      onBatch: (n) => {
        if (n === 10) restart = cluster.restart(500);
      },
    });
    await restart;
    expect(report.hwm).toBe(Buffer.byteLength(text));
    expect(report.retries).toBeGreaterThan(0); // the restart was felt
    const rows = await sql.query(
      "SELECT count(*) AS n, count(DISTINCT step) AS d, min(step) AS lo, max(step) AS hi FROM history_rows h JOIN runs r ON r.pk = h.run_pk WHERE r.run_id = 'restart'",
    );
    expect(rows.rows[0]).toEqual({ n: '20000', d: '20000', lo: '0', hi: '19999' });
    expect(
      await count(
        "SELECT sum(b.rows) AS n FROM history_blocks b JOIN runs r ON r.pk = b.run_pk WHERE r.run_id = 'restart'",
        [],
      ),
    ).toBe(20_000);
  });
});
