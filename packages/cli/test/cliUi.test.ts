import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertBuilt, startRunlog, waitUntil } from './runlog.js';

const uiBuilt = existsSync(join(import.meta.dirname, '..', '..', 'ui', 'dist', 'index.js'));

describe('runlog ui', () => {
  it.skipIf(!uiBuilt)(
    'starts the dashboard from @runlog/ui, serves it, and stops on SIGINT',
    async () => {
      assertBuilt();
      const port = 41000 + Math.floor(Math.random() * 2000);
      const ui = startRunlog(['ui', '--dir', join(import.meta.dirname, 'no-store-here'), '--port', String(port)]);
      try {
        await waitUntil(() => /dashboard at (\S+)/.test(ui.output()), 20_000);
        const url = /dashboard at (\S+)/.exec(ui.output())![1];
        expect(url).toContain(String(port));
        const response = await fetch(url);
        expect(response.status).toBe(200);
      } finally {
        ui.child.kill('SIGINT');
      }
      expect((await ui.done).code).toBe(0);
    },
    60_000,
  );

  it.skipIf(!uiBuilt)(
    'off loopback: read-only without a token, edits with --token, the token never printed',
    async () => {
      assertBuilt();
      const token = 'cli-ui-token-91be';
      for (const withToken of [false, true]) {
        const port = 43000 + Math.floor(Math.random() * 2000);
        const args = ['ui', '--dir', join(import.meta.dirname, 'no-store-here'), '--port', String(port)];
        const ui = startRunlog([...args, '--host', '0.0.0.0', '--no-open', ...(withToken ? ['--token', token] : [])]);
        try {
          await waitUntil(() => /dashboard at (\S+)/.test(ui.output()), 20_000);
          const edit = (headers: Record<string, string>) =>
            fetch(`http://127.0.0.1:${port}/api/runs/p/nosuchrun`, {
              method: 'PATCH',
              headers: { 'x-runlog-action': '1', ...headers },
              body: '{"notes":"x"}',
            });
          if (withToken) {
            expect((await edit({})).status).toBe(401);
            expect((await edit({ authorization: `Bearer ${token}` })).status).toBe(404); // past the gate
          } else {
            await waitUntil(() => ui.output().includes('read-only'), 10_000);
            expect((await edit({ authorization: `Bearer ${token}` })).status).toBe(403);
          }
        } finally {
          ui.child.kill('SIGINT');
        }
        const result = await ui.done;
        expect(result.code).toBe(0);
        expect(result.stdout + result.stderr).not.toContain(token);
      }
    },
    60_000,
  );
});
