import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seedEmbeddedData } from '../../server/test/support/pgliteTemplate.js';
import { assertBuilt, runlog, startRunlog, waitUntil } from './runlog.js';

const dir = mkdtempSync(join(tmpdir(), 'runlog-cli-server-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runlog server', () => {
  it('creates a token offline (last line), serves with it, and refuses a second user of the data folder', async () => {
    assertBuilt();
    const data = join(dir, 'data');
    await seedEmbeddedData(data); // an initialised empty database (PGlite's initdb is covered by the server's tests)
    const created = await runlog(['server', 'token', 'create', '--data', data, '--project', 'p', '--role', 'write']);
    expect(created.code).toBe(0);
    const token = created.stdout.trim().split('\n').at(-1) ?? '';
    expect(token).toMatch(/^rlt_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);

    const server = startRunlog(['server', '--data', data, '--port', '0']);
    try {
      await waitUntil(() => /runlog server at http:\/\/127\.0\.0\.1:\d+/.test(server.output()), 90_000);
      const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(server.output())?.[1];
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const batch = await fetch(`${url}/api/v1/projects/p/runs/r/streams/history?offset=0`, {
        method: 'POST',
        body: '{"_step":0,"loss":1}\n',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
      });
      expect(await batch.json()).toMatchObject({ hwm: 21, rows: 1 });
      expect(server.output()).not.toContain(token);

      const locked = await runlog(['server', 'token', 'create', '--data', data, '--role', 'read']);
      expect(locked.code).toBe(1);
      expect(locked.stderr).toContain('DATA_LOCKED');
    } finally {
      server.child.kill('SIGTERM');
    }
    expect((await server.done).code).toBe(0);
    // SIGTERM closed it cleanly: the data folder is free again.
    const after = await runlog(['server', 'token', 'create', '--data', data, '--role', 'read']);
    expect(after.code).toBe(0);
  }, 180_000); // its waits add up to more than the 60 s default under load (server start alone may take 90 s)

  it('refuses --no-auth on a non-loopback address and a lone --s3-bucket', async () => {
    assertBuilt();
    const open = await runlog(['server', '--no-auth', '--host', '0.0.0.0', '--data', join(dir, 'never')]);
    expect(open.code).toBe(1);
    expect(open.stderr).toContain('CONFIG_INVALID');
    const half = await runlog(['server', '--s3-bucket', 'b', '--data', join(dir, 'never')]);
    expect(half.code).toBe(2);
  });
});
