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
});
