import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { MEDIA_VALUE, type MediaRef, type MediaValue, type MediaWriteContext } from '@runlog/core';
import { describe, expect, it } from 'vitest';
import { quietInit, readRows, tempStore } from './helpers.js';

/** A real media value: writes its text as a file after a delay, or fails. */
class TextBlob implements MediaValue {
  readonly [MEDIA_VALUE] = true as const;
  readonly mediaKind = 'text';
  constructor(
    private readonly text: string,
    private readonly delayMs = 0,
    private readonly fail = false,
  ) {}
  async toMediaRef(context: MediaWriteContext): Promise<MediaRef> {
    await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.fail) throw new Error('encoder exploded');
    const file = await context.writeMediaFile('text', 'txt', Buffer.from(this.text));
    return { _type: 'text-file', ...file, chars: this.text.length };
  }
}

describe('media protocol', () => {
  it('history index blocks stay exact when rows wait for slow media (deferred lines across block ends)', async () => {
    const run = await quietInit(tempStore(), { settings: { flushIntervalMs: 20 } });
    for (let i = 0; i < 1500; i++) {
      // a slow media value every 97 rows, some of them right at block ends (512, 1024)
      const media = i % 97 === 0 || i === 511 || i === 1023 ? { sample: new TextBlob(`row ${i}`, 30) } : {};
      run.log({ loss: Math.sin(i), ...media });
      if (i % 200 === 0) await new Promise((r) => setTimeout(r, 25)); // let flushes happen mid-way
    }
    await run.finish();
    const history = join(run.dir, 'history.jsonl');
    const bytes = readFileSync(history);
    const blocks = readFileSync(join(run.dir, 'history-index.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { start: number; end: number; rows: number; steps: number[] });
    expect(blocks.map((b) => b.rows)).toEqual([512, 512, 476]);
    expect(blocks[0].start).toBe(0);
    expect(blocks.at(-1)!.end).toBe(statSync(history).size);
    for (const [b, block] of blocks.entries()) {
      if (b > 0) expect(block.start).toBe(blocks[b - 1].end);
      const lines = bytes.subarray(block.start, block.end).toString('utf8').split('\n').filter(Boolean);
      expect(lines.length).toBe(block.rows);
      const steps = lines.map((line) => JSON.parse(line)._step);
      expect([steps[0], steps.at(-1)]).toEqual(block.steps);
    }
    expect(readRows(history).filter((r) => r.sample).length).toBe(18);
  });

  it('writes media files named <key>_<step>_<sha>.<ext> and keeps history rows in order', async () => {
    const run = await quietInit(tempStore());
    run.log({ sample: new TextBlob('slow', 80), i: 0 });
    run.log({ i: 1 });
    run.log({ 'val/sample': new TextBlob('fast'), i: 2 });
    expect(run.status().pendingMedia).toBeGreaterThan(0);
    await run.flush();
    expect(run.status().pendingMedia).toBe(0);
    const rows = readRows(join(run.dir, 'history.jsonl'));
    expect(rows.map((r) => r._step)).toEqual([0, 1, 2]);
    const ref = rows[0].sample as { _type: string; path: string; sha256: string; size: number };
    expect(ref._type).toBe('text-file');
    expect(ref.path).toMatch(/^media\/text\/sample_0_[0-9a-f]{20}\.txt$/);
    expect(readFileSync(join(run.dir, ref.path), 'utf8')).toBe('slow');
    expect((rows[2]['val/sample'] as { path: string }).path).toMatch(/^media\/text\/val\/sample_2_/);
    expect(run.summary.get('sample')).toMatchObject({ _type: 'text-file' });
    await run.finish();
  });

  it('media under a long but valid key keeps its value: the file name is bounded, the key hashed into it', async () => {
    const run = await quietInit(tempStore());
    const keys = [
      'k'.repeat(300),
      `${'k'.repeat(300)}2`, // differs only at the end: its own files
      `images/${'s'.repeat(200)}`,
      `${'deep/'.repeat(900)}leaf`, // a 4.5 KB path if each part became a folder
      'x'.repeat(64), // at the bound: unchanged
    ];
    run.log(Object.fromEntries(keys.map((key, i) => [key, new TextBlob(`value ${i}`)])));
    await run.finish();
    expect(run.status().errors).toEqual([]);
    const [row] = readRows(join(run.dir, 'history.jsonl'));
    const paths = keys.map((key) => (row[key] as { path?: string } | undefined)?.path);
    keys.forEach((key, i) => {
      expect(paths[i], key.slice(0, 20)).toBeDefined();
      expect(readFileSync(join(run.dir, paths[i]!), 'utf8')).toBe(`value ${i}`);
      for (const part of paths[i]!.split('/')) expect(part.length).toBeLessThanOrEqual(128);
    });
    expect(new Set(paths).size).toBe(keys.length);
    expect(paths[0]).toMatch(/^media\/text\/k{40}-[0-9a-f]{16}_0_[0-9a-f]{20}\.txt$/);
    expect(paths[4]).toMatch(new RegExp(`^media/text/${'x'.repeat(64)}_0_`));
  });

  it('a list of media values becomes a <kind>-list', async () => {
    const run = await quietInit(tempStore());
    run.log({ gallery: [new TextBlob('a'), new TextBlob('b')] });
    await run.finish();
    const [row] = readRows(join(run.dir, 'history.jsonl'));
    const gallery = row.gallery as { _type: string; items: Array<{ path: string }> };
    expect(gallery._type).toBe('text-list');
    expect(gallery.items.map((i) => readFileSync(join(run.dir, i.path), 'utf8'))).toEqual(['a', 'b']);
  });

  it('a failing encoder is recorded in status without losing the rest of the row', async () => {
    const run = await quietInit(tempStore());
    const errors: string[] = [];
    run.on('error', (e) => errors.push(e.context));
    run.log({ bad: new TextBlob('x', 0, true), good: new TextBlob('y'), loss: 0.5 });
    await run.finish();
    const [row] = readRows(join(run.dir, 'history.jsonl'));
    expect(row.loss).toBe(0.5);
    expect(row.good).toBeDefined();
    expect('bad' in row).toBe(false);
    expect(run.status().errors).toEqual([
      expect.objectContaining({ context: 'encoding media "bad" at step 0', message: 'encoder exploded' }),
    ]);
    expect(errors).toEqual(['encoding media "bad" at step 0']);
  });

  it('media nested inside a plain object is refused with a clear error', async () => {
    const run = await quietInit(tempStore());
    expect(() => run.log({ wrap: { img: new TextBlob('x') } })).toThrow(/top level/);
    await run.finish();
  });
});

describe('run.save', () => {
  it("copies files by policy: 'now' once, 'live' on change, 'end' at finish", async () => {
    const work = tempStore('runlog-save-');
    await mkdir(join(work, 'ckpt'), { recursive: true });
    writeFileSync(join(work, 'now.txt'), 'v1');
    writeFileSync(join(work, 'ckpt', 'live.bin'), 'l1');
    writeFileSync(join(work, 'end.log'), 'e1');
    const run = await quietInit(tempStore(), {
      settings: { flushIntervalMs: 20, console: false, systemMetrics: false, quiet: true },
    });
    expect(await run.save('now.txt', { basePath: work, policy: 'now' })).toEqual(['now.txt']);
    expect(await run.save('ckpt/*.bin', { basePath: work })).toEqual(['ckpt/live.bin']);
    await run.save('*.log', { basePath: work, policy: 'end' });
    const files = join(run.dir, 'files');
    expect(readFileSync(join(files, 'now.txt'), 'utf8')).toBe('v1');
    expect(existsSync(join(files, 'end.log'))).toBe(false);
    writeFileSync(join(work, 'now.txt'), 'v2');
    writeFileSync(join(work, 'ckpt', 'live.bin'), 'l2-longer');
    await new Promise((r) => setTimeout(r, 30));
    await run.flush();
    expect(readFileSync(join(files, 'ckpt', 'live.bin'), 'utf8')).toBe('l2-longer');
    await run.finish();
    expect(readFileSync(join(files, 'now.txt'), 'utf8')).toBe('v1');
    expect(readFileSync(join(files, 'end.log'), 'utf8')).toBe('e1');
    expect(statSync(join(files, 'ckpt', 'live.bin')).size).toBe(9);
  });
});
