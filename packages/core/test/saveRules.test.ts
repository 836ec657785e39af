import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { quietInit, tempStore } from './helpers.js';

// issue 14 item 5: run.save() with wandb's path rules (the glob is a path, basePath a prefix of it).
const cwd = process.cwd();
afterEach(() => {
  process.chdir(cwd);
  vi.restoreAllMocks();
});

function workFolder(): string {
  const work = tempStore('runlog-save-');
  for (const file of ['these/are/myfiles/a.txt', 'these/are/myfiles/b.txt', 'run123/x.txt', 'run123/y.bin'])
    writeFile(join(work, file), file);
  return work;
}

function writeFile(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

describe('run.save path rules (wandb)', () => {
  it('a relative glob keeps its folders; basePath is a prefix of the glob that is cut off', async () => {
    const work = workFolder();
    process.chdir(work);
    const run = await quietInit(tempStore());
    const files = join(run.dir, 'files');
    expect(await run.save('these/are/myfiles/*')).toEqual([
      join(files, 'these/are/myfiles/a.txt'),
      join(files, 'these/are/myfiles/b.txt'),
    ]);
    expect(await run.save('these/are/myfiles/*', { basePath: 'these' })).toEqual([
      join(files, 'are/myfiles/a.txt'),
      join(files, 'are/myfiles/b.txt'),
    ]);
    expect(readFileSync(join(files, 'are/myfiles/a.txt'), 'utf8')).toBe('these/are/myfiles/a.txt');
    await run.finish();
  });

  it('an absolute glob without basePath keeps its last folder; with basePath, the path below it', async () => {
    const work = workFolder();
    const run = await quietInit(tempStore());
    const files = join(run.dir, 'files');
    expect(await run.save(join(work, 'run123/*.txt'))).toEqual([join(files, 'run123/x.txt')]);
    expect(await run.save(join(work, 'run123/*.bin'), { basePath: join(work, '..') })).toEqual([
      join(files, work.split('/').pop()!, 'run123/y.bin'),
    ]);
    await run.finish();
  });

  it('refuses a basePath that is not a prefix of the glob, and a glob starting with * below it', async () => {
    const work = workFolder();
    const run = await quietInit(tempStore());
    expect(() => run.save(join(work, 'run123/*.txt'), { basePath: '/elsewhere' })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => run.save(join(work, '*'), { basePath: work })).toThrow(/may not start with '\*'/);
    await run.finish();
  });

  it("files created after the call are not picked up, even with 'live'; found files keep syncing", async () => {
    const work = workFolder();
    const run = await quietInit(tempStore(), { settings: { flushIntervalMs: 20 } });
    const files = join(run.dir, 'files');
    await run.save(join(work, 'run123/*.txt'));
    writeFile(join(work, 'run123/z.txt'), 'late');
    writeFile(join(work, 'run123/x.txt'), 'changed');
    await run.flush();
    await run.finish();
    expect(readFileSync(join(files, 'run123/x.txt'), 'utf8')).toBe('changed');
    expect(() => readFileSync(join(files, 'run123/z.txt'))).toThrow(/ENOENT/);
  });

  it('save() with nothing matched warns once and returns []', async () => {
    const work = workFolder();
    const run = await quietInit(tempStore(), { settings: { quiet: false, console: false, systemMetrics: false } });
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    expect(await run.save(join(work, 'nothing/*.ckpt'))).toEqual([]);
    expect(await run.save(join(work, 'nothing/*.ckpt'))).toEqual([]);
    const saveWarnings = warn.mock.calls.filter(([message]) => String(message).includes('save()'));
    expect(saveWarnings).toHaveLength(1);
    expect(String(saveWarnings[0][0])).toContain('nothing matches');
    await run.finish();
  });
});
