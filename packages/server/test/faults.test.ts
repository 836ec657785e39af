import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenOffline } from '../src/index.js';
import { type ChildServer, startChildServer } from './support/childServer.js';
import { historyLines, TestClient } from './support/httpClient.js';
import { seedEmbeddedData } from './support/pgliteTemplate.js';
import {
  freePort,
  type PostgresCluster,
  postgresUnavailable,
  startPostgresCluster,
} from './support/postgresCluster.js';
import { sendStream } from './support/streamSender.js';

// The server SIGKILLed mid-stream and started again on the same port while a client keeps retrying.
const skip = postgresUnavailable();
let cluster: PostgresCluster;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'runlog-server-faults-'));
  if (!skip) cluster = await startPostgresCluster();
});
afterAll(() => {
  cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function killMidStream(
  options: { databaseUrl?: string; data: string },
  token: string,
): Promise<{ retries: number; hwm: number }> {
  const port = await freePort();
  let server: ChildServer = await startChildServer({ ...options, port });
  const client = new TestClient(server.url, token);
  let restarted: Promise<void> | undefined;
  const text = historyLines(0, 6000);
  try {
    const report = await sendStream(() => client, 'p/killed', 'history', text, 16 * 1024, {
      deadlineMs: 120_000,
      onBatch: (n) => {
        if (n !== 5) return;
        // SIGKILL without waiting for the answer to the next batch, then the same server again on the same port.
        restarted = server.kill().then(async () => {
          server = await startChildServer({ ...options, port });
        });
      },
    });
    await restarted;
    expect(report.hwm).toBe(Buffer.byteLength(text));
    const sync = await client.request('GET', '/api/v1/projects/p/runs/killed/sync');
    expect(sync.body.streams).toEqual({ history: { hwm: Buffer.byteLength(text), rows: 6000 } });
    return report;
  } finally {
    await server.kill();
  }
}

describe.skipIf(skip)('server killed on PostgreSQL', () => {
  it('stores every row exactly once across a SIGKILL and restart', async () => {
    const { token } = await createTokenOffline({ databaseUrl: cluster.url, project: 'p', role: 'write' });
    const report = await killMidStream({ databaseUrl: cluster.url, data: join(dir, 'pg') }, token);
    expect(report.retries).toBeGreaterThan(0);
    const sql = new pg.Client({ connectionString: cluster.url });
    await sql.connect();
    const { rows } = await sql.query(
      "SELECT count(*) AS n, count(DISTINCT step) AS d FROM history_rows h JOIN runs r ON r.pk = h.run_pk WHERE r.run_id = 'killed'",
    );
    await sql.end();
    expect(rows[0]).toEqual({ n: '6000', d: '6000' });
  });
});

describe('server killed on the embedded database', () => {
  it('reopens its PGlite data after a SIGKILL and continues exactly once', async () => {
    const data = join(dir, 'embedded');
    await seedEmbeddedData(data);
    const { token } = await createTokenOffline({ data, project: 'p', role: 'write' });
    const report = await killMidStream({ data }, token);
    expect(report.retries).toBeGreaterThan(0);
  }, 180_000); // two PGlite (WASM) server starts: ~10 s each on a quiet machine, a minute when the cores are busy
});
