import { createServer } from 'node:net';
import { resolveMode } from '@runlog/core/internal';
import { describe, expect, it } from 'vitest';
import { quietInit, readRows, tempStore } from './helpers.js';

// How init decides between online and offline (as wandb: a configured server and token make a run online), and an
// online run whose server is not there at all: it trains and finishes as an offline run would.
const HOST = 'http://127.0.0.1:9';

/** A port nothing listens on (taken, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe('online mode: choosing it', () => {
  it('is online when a host and a token are configured, by options or environment, else offline', () => {
    expect(resolveMode({}, {})).toEqual({ mode: 'offline' });
    expect(resolveMode({}, { RUNLOG_HOST: HOST })).toEqual({ mode: 'offline' });
    expect(resolveMode({}, { RUNLOG_API_KEY: 'k' })).toEqual({ mode: 'offline' });
    expect(resolveMode({}, { RUNLOG_HOST: `${HOST}/`, RUNLOG_API_KEY: 'k' })).toEqual({
      mode: 'online',
      target: { host: HOST, apiKey: 'k' },
    });
    expect(resolveMode({ host: HOST, apiKey: 'o' }, { RUNLOG_API_KEY: 'k' }).target).toEqual({
      host: HOST,
      apiKey: 'o',
    });
    expect(resolveMode({ mode: 'offline' }, { RUNLOG_HOST: HOST, RUNLOG_API_KEY: 'k' })).toEqual({ mode: 'offline' });
    expect(resolveMode({ mode: 'disabled', host: HOST, apiKey: 'k' }, {})).toEqual({ mode: 'disabled' });
    // 'online' with a host and no token: a server started with --no-auth.
    expect(resolveMode({ mode: 'online' }, { RUNLOG_HOST: HOST })).toEqual({ mode: 'online', target: { host: HOST } });
  });

  it("refuses 'online' without a host, a host that is not a URL, and rewinding an online run", async () => {
    expect(() => resolveMode({ mode: 'online' }, {})).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => resolveMode({ mode: 'online', host: 'runlog.internal:8080' }, {})).toThrow(/not an http/);
    await expect(
      quietInit(tempStore(), { mode: 'online', host: HOST, apiKey: 'k', resumeFrom: { run: 'x', step: 1 } }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('online mode without a server', () => {
  it('trains, reports the sync as retrying, and finish gives up after syncTimeoutMs with everything on disk', async () => {
    const host = `http://127.0.0.1:${await closedPort()}`;
    const run = await quietInit(tempStore(), {
      mode: 'online',
      host,
      apiKey: 'k',
      settings: { syncTimeoutMs: 800, syncIntervalMs: 100 },
    });
    expect([run.mode, run.offline, run.url]).toEqual(['online', false, `${host}/#/r/test/${run.id}`]);
    for (let i = 0; i < 500; i++) {
      run.log({ loss: 1 / (i + 1) });
      if (i % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const sync = run.status().sync;
    expect(sync).toMatchObject({ host, state: 'retrying', rowsAcknowledged: 0 });
    expect(sync?.lastError?.message).toMatch(/no answer|network/);
    const started = Date.now();
    await run.finish();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(run.state).toBe('finished');
    expect(run.status().sync?.state).toBe('stopped');
    expect(readRows(`${run.dir}/history.jsonl`)).toHaveLength(500);
  }, 60_000);
});
