import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init } from '@runlog/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenOffline } from '../src/index.js';
import { type ChildServer, startChildServer } from './support/childServer.js';
import { onlineSettings, serverHistory, serverSteps, train, waitFor } from './support/onlineRuns.js';
import { seedEmbeddedData } from './support/pgliteTemplate.js';
import { freePort } from './support/postgresCluster.js';

// An online run (issue 16) while its server (PGlite, in a child process) is SIGKILLed and restarted: training
// never notices, the syncer warns once, backs off, catches up, and every row arrives exactly once.
let dir: string;
let token: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'runlog-online-faults-'));
  await seedEmbeddedData(join(dir, 'srv'));
  token = (await createTokenOffline({ data: join(dir, 'srv'), role: 'write' })).token;
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('online mode through a server crash', () => {
  it('completes the run with every row once after the server is SIGKILLed mid-run and restarted', async () => {
    const options = { data: join(dir, 'srv'), port: await freePort(), logError: () => {} };
    let server: ChildServer = await startChildServer(options);
    try {
      const run = await init({
        dir: join(dir, 'store'),
        project: 'faults',
        mode: 'online',
        host: server.url,
        apiKey: token,
        settings: onlineSettings,
      });
      await train(run, 0, 2000);
      await waitFor(() => (run.status().sync?.rowsAcknowledged ?? 0) > 0);
      await server.kill();
      // Training goes on while the server is gone; the syncer retries.
      const downAt = Date.now();
      let i = 2000;
      while (Date.now() - downAt < 3000) {
        await train(run, i, 200);
        i += 200;
      }
      const during = run.status().sync;
      expect(during?.state).toBe('retrying');
      expect(during?.pendingRows).toBeGreaterThan(0);
      expect(during?.lastError?.message).toMatch(/no answer|network|ECONNREFUSED/);
      server = await startChildServer(options);
      await train(run, i, 1000);
      i += 1000;
      // It catches up while the run still trains.
      await waitFor(() => run.status().sync?.pendingRows === 0 && run.status().sync?.state === 'syncing', 60_000);
      await run.finish();
      const history = await serverHistory(server.url, token, 'faults', run.id);
      expect(history).toMatchObject({ rows: i, hwm: statSync(join(run.dir, 'history.jsonl')).size });
      expect(await serverSteps(server.url, token, 'faults', run.id)).toEqual(Array.from({ length: i }, (_, s) => s));
      expect(run.status().sync).toMatchObject({ state: 'done', rowsAcknowledged: i, pendingBytes: 0 });
      // The outage was told once, not once per retry.
      expect(run.status().errors.filter((e) => e.context.startsWith('online sync'))).toHaveLength(1);
    } finally {
      await server.kill();
    }
  }, 240_000);
});
