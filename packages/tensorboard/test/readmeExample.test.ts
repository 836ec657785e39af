import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/pythonTensorboard.js';
import { tempDir } from './helpers/store.js';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));

describe('README', () => {
  it('opens with an example that runs (against the built package)', () => {
    if (!existsSync(join(PACKAGE, 'dist/index.js'))) {
      execFileSync('pnpm', ['--filter', '@runlog/tensorboard...', 'run', 'build'], { cwd: REPO_ROOT, stdio: 'ignore' });
    }
    const readme = readFileSync(join(PACKAGE, 'README.md'), 'utf8');
    const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(example.split('\n').filter(Boolean).length).toBeLessThanOrEqual(10);
    // In the package folder (ignored .tmp/), so '@runlog/tensorboard' resolves to the package itself.
    mkdirSync(join(PACKAGE, '.tmp'), { recursive: true });
    const file = join(PACKAGE, '.tmp', `readme-example-${process.pid}.mjs`);
    writeFileSync(file, example);
    const cwd = tempDir('runlog-tb-readme-');
    const output = execFileSync(process.execPath, [file], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, RUNLOG_DIR: '' },
    });
    expect(output).toMatch(/from-tensorboard\/tb-[0-9a-f]{16} imported: 100 rows/);
    expect(readdirSync(join(cwd, 'tb'))).toHaveLength(1);
    expect(readdirSync(join(cwd, 'tb-export'))).toHaveLength(1);
  });
});
