import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const packages = readdirSync(join(root, 'packages'));

describe('packaging (runs after `pnpm build`, as `pnpm test` does)', () => {
  it.each(packages)('@runlog/%s is MIT-licensed and builds ESM, CommonJS and type declarations', (name) => {
    const dir = join(root, 'packages', name);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(manifest.license).toBe('MIT');
    expect(existsSync(join(dir, 'README.md'))).toBe(true);
    for (const file of ['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts']) {
      expect(existsSync(join(dir, 'dist', file)), `${name}/dist/${file}`).toBe(true);
    }
  });

  it('CommonJS users can require @runlog/core and log a row', () => {
    const script = `
      const { init } = require('@runlog/core');
      const dir = require('node:fs').mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'cjs-'));
      init({ dir, project: 'cjs', settings: { quiet: true } }).then(async (run) => {
        run.log({ loss: 1 });
        await run.finish();
        console.log(require('node:fs').readFileSync(run.dir + '/history.jsonl', 'utf8').includes('"loss":1') ? 'OK' : 'MISSING');
      });`;
    const result = spawnSync(process.execPath, ['-e', script], {
      cwd: join(root, 'packages', 'cli'),
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('OK');
  });
});
