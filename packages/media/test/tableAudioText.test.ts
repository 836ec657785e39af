import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeJson } from '@runlog/core';
import { Audio, Html, Image, MAX_TABLE_ROWS, MediaInvalidError, Object3D, Table, Text } from '@runlog/media';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { MediaTestContext } from './helpers/mediaTestContext.js';
import { readWavHeader } from './helpers/wavHeader.js';

const context = new MediaTestContext('eval/preds', 7);
afterAll(() => context.dispose());
const readJson = (path: string) => decodeJson(readFileSync(context.resolve(path), 'utf8')) as Record<string, unknown[]>;

describe('Table', () => {
  it('addData, addColumn, getColumn; media cells write their files; NaN and dates survive', async () => {
    const table = new Table({ columns: ['id', 'score'] });
    table.addData(1, 0.5);
    table.addData(2, Number.NaN);
    table.addColumn('image', [
      new Image(new Uint8Array(12).fill(200), { width: 2, height: 2, channels: 3 }),
      new Image(new Uint8Array(4), { width: 2, height: 2, channels: 1 }),
    ]);
    table.addColumn('when', [new Date('2026-01-01T00:00:00Z'), null]);
    expect(table.getColumn('id')).toEqual([1, 2]);
    const ref = await table.toMediaRef(context);
    table.addData(3, 1, null, null); // after logging: not in the written file
    expect(ref).toMatchObject({ _type: 'table-file', ncols: 4, nrows: 2 });
    expect(ref.path).toMatch(/^media\/table\/eval\/preds_7_[0-9a-f]{20}\.json$/);
    const written = readJson(ref.path as string);
    expect(written.columns).toEqual(['id', 'score', 'image', 'when']);
    const rows = written.data as unknown[][];
    expect(rows).toHaveLength(2);
    expect(rows[1][1]).toBeNaN();
    expect(rows[0][3]).toEqual(new Date('2026-01-01T00:00:00Z'));
    const cell = rows[0][2] as { _type: string; path: string };
    expect(cell._type).toBe('image-file');
    const meta = await sharp(context.resolve(cell.path)).metadata();
    expect([meta.width, meta.height]).toEqual([2, 2]);
  });

  it('takes rows at construction and names columns when none are given', () => {
    const table = new Table({ data: [[1, 'a']] });
    expect(table.columns).toEqual(['Column 1', 'Column 2']);
    expect(table.getColumn('Column 2')).toEqual(['a']);
  });

  describe('bad input', () => {
    const cases: [string, () => unknown][] = [
      ['mismatched row width at construction', () => new Table({ columns: ['a', 'b'], data: [[1, 2], [3]] })],
      ['mismatched row width in addData', () => new Table({ columns: ['a', 'b'] }).addData(1)],
      ['a column of the wrong length', () => new Table({ columns: ['a'], data: [[1]] }).addColumn('b', [1, 2])],
      ['a duplicate column', () => new Table({ columns: ['a', 'a'] })],
      ['an unknown column', () => new Table({ columns: ['a'] }).getColumn('b')],
      ['a function cell', () => new Table({ columns: ['a'], data: [[(() => 1) as unknown as number]] })],
      ['a reserved _type key', () => new Table({ columns: ['a'], data: [[{ _type: 'x' }]] })],
      [
        'more than 10,000 rows',
        () => new Table({ columns: ['a'], data: Array.from({ length: MAX_TABLE_ROWS + 1 }, (_, i) => [i]) }),
      ],
    ];
    for (const [name, make] of cases) it(name, () => expect(make).toThrow(MediaInvalidError));

    it('addData beyond 10,000 rows', () => {
      const table = new Table({ columns: ['a'], data: Array.from({ length: MAX_TABLE_ROWS }, (_, i) => [i]) });
      expect(() => table.addData(1)).toThrow(/10000 a logged table may hold/);
    });
  });
});

describe('Audio', () => {
  it('writes Float32 stereo as a 16-bit PCM WAV with a correct header', async () => {
    const sampleRate = 8000;
    const samples = new Float32Array(2 * 800);
    for (let i = 0; i < 800; i++) {
      samples[2 * i] = Math.sin((2 * Math.PI * 440 * i) / sampleRate);
      samples[2 * i + 1] = -0.5;
    }
    const ref = await new Audio(samples, { sampleRate, channels: 2, caption: 'tone' }).toMediaRef(context);
    expect(ref).toMatchObject({
      _type: 'audio-file',
      format: 'wav',
      sampleRate,
      channels: 2,
      durationSeconds: 0.1,
      caption: 'tone',
    });
    const wav = readWavHeader(context.resolve(ref.path as string));
    expect(wav).toMatchObject({
      riff: 'RIFF',
      wave: 'WAVE',
      fmt: 'fmt ',
      audioFormat: 1,
      channels: 2,
      sampleRate,
      byteRate: sampleRate * 4,
      blockAlign: 4,
      bitsPerSample: 16,
      data: 'data',
      dataSize: 3200,
      fileSize: 44 + 3200,
      riffSize: 36 + 3200,
    });
    expect(wav.sample(1)).toBe(Math.round(-0.5 * 32767));
    expect(wav.sample(2)).toBe(Math.round(Math.sin((2 * Math.PI * 440) / sampleRate) * 32767));
  });

  it('keeps Int16 samples exactly and passes WAV files through', async () => {
    const ref = await new Audio(new Int16Array([0, -32768, 32767, 5]), { sampleRate: 16000 }).toMediaRef(context);
    const path = context.resolve(ref.path as string);
    const wav = readWavHeader(path);
    expect([0, 1, 2, 3].map(wav.sample)).toEqual([0, -32768, 32767, 5]);
    const copy = await new Audio(path).toMediaRef(context);
    expect(readFileSync(context.resolve(copy.path as string))).toEqual(readFileSync(path));
  });

  const bad: [string, () => unknown][] = [
    ['no sample rate', () => new Audio(new Float32Array(4))],
    ['a zero sample rate', () => new Audio(new Float32Array(4), { sampleRate: 0 })],
    ['NaN samples', () => new Audio(new Float32Array([0, Number.NaN]), { sampleRate: 8000 })],
    ['no samples', () => new Audio(new Float32Array(0), { sampleRate: 8000 })],
    ['samples not divisible by channels', () => new Audio(new Float32Array(3), { sampleRate: 8000, channels: 2 })],
    ['a non-audio file', () => new Audio(__filename)],
  ];
  for (const [name, make] of bad) it(`refuses ${name}`, () => expect(make).toThrow(MediaInvalidError));
});

describe('Html, Text, Object3D', () => {
  it('Html writes a .html file, Text stays inline', async () => {
    const html = await new Html('<h1>hi</h1>').toMediaRef(context);
    expect(html.path).toMatch(/\.html$/);
    expect(readFileSync(context.resolve(html.path as string), 'utf8')).toBe('<h1>hi</h1>');
    expect(await new Text('a sample').toMediaRef()).toEqual({ _type: 'text', text: 'a sample' });
    expect(() => new Html(3 as unknown as string)).toThrow(MediaInvalidError);
    expect(() => new Text({} as unknown as string)).toThrow(MediaInvalidError);
  });

  it('Object3D passes GLB, glTF and OBJ through and checks their content', async () => {
    const glb = new Uint8Array([0x67, 0x6c, 0x54, 0x46, 2, 0, 0, 0, 12, 0, 0, 0]);
    const glbRef = await new Object3D(glb, { format: 'glb', caption: 'mesh' }).toMediaRef(context);
    expect(glbRef).toMatchObject({ _type: 'object3D-file', format: 'glb', caption: 'mesh', size: 12 });
    expect(new Uint8Array(readFileSync(context.resolve(glbRef.path as string)))).toEqual(glb);
    const objPath = join(context.runDir, 'cube.obj');
    writeFileSync(objPath, 'v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n');
    const objRef = await new Object3D(objPath).toMediaRef(context);
    expect(objRef.path).toMatch(/\.obj$/);
    expect(() => new Object3D(new Uint8Array([1, 2, 3]), { format: 'glb' })).toThrow(MediaInvalidError);
    expect(() => new Object3D(new Uint8Array([1, 2, 3]))).toThrow(/format/);
    expect(() => new Object3D('/missing/mesh.glb')).toThrow(MediaInvalidError);
  });
});
