import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeJson, MEDIA_VALUE, type MediaValue } from '@runlog/core';
import { describe, expect, it } from 'vitest';
import { AppendWriter } from '../src/history/appendWriter.js';
import { ByteBuilder } from '../src/history/byteBuilder.js';
import { writeDecimal } from '../src/values/decimalText.js';
import { quietInit, readRows, tempStore } from './helpers.js';

const store = tempStore('runlog-bytes-');

/** A small deterministic PRNG (mulberry32), so a failure names a value that can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function decimalText(value: number): string | undefined {
  const buffer = new Uint8Array(32);
  const end = writeDecimal(buffer, 0, value);
  return end < 0 ? undefined : Buffer.from(buffer.subarray(0, end)).toString('latin1');
}

describe('writeDecimal', () => {
  it('writes exactly what String() writes, or declines', () => {
    const next = random(7);
    const bits = new Float64Array(1);
    const words = new Uint32Array(bits.buffer);
    const generators: Array<[string, (i: number) => number]> = [
      ['uniform', () => next()],
      ['scaled', () => (next() - 0.5) * 10 ** Math.floor(next() * 24 - 8)],
      ['float32', () => Math.fround(next() * 4)],
      ['1/i', (i) => 1 / (i + 1)],
      ['i*1e-6', (i) => i * 1e-6],
      ['0.5+i*1e-7', (i) => 0.5 + i * 1e-7],
      ['4 decimals', () => Math.round(next() * 1e8) / 1e4],
      ['integers', () => Math.floor((next() - 0.5) * 2 ** 54)],
      [
        'any bits',
        () => {
          words[0] = next() * 2 ** 32;
          words[1] = next() * 2 ** 32;
          return bits[0];
        },
      ],
    ];
    for (const [name, generate] of generators) {
      let written = 0;
      for (let i = 0; i < 40_000; i++) {
        const value = generate(i);
        const text = decimalText(value);
        if (text === undefined) continue;
        written++;
        if (text !== String(value)) expect.fail(`${name}: ${String(value)} written as ${text}`);
      }
      if (name !== 'any bits') expect(written, name).toBeGreaterThan(10_000);
    }
  });

  it('declines what needs String() or runlog encoding, and writes edge values exactly', () => {
    for (const value of [Number.NaN, Infinity, -Infinity, -0, 0, 1e21, 2 ** 53, 1e-7, 5e-324, 1e15 + 0.5]) {
      expect(decimalText(value), String(value)).toBeUndefined();
    }
    for (const value of [
      1,
      -1,
      0.1,
      -0.001,
      1e-6,
      123456.789,
      Number.MAX_SAFE_INTEGER,
      0.3,
      0.1 + 0.2,
      999999.9999999,
      0.2932547256350517,
      -231607952620834.12,
    ]) {
      expect(decimalText(value)).toBe(String(value));
    }
  });
});

describe('ByteBuilder and AppendWriter', () => {
  it('encodes any text as UTF-8, across buffer boundaries', () => {
    const builder = new ByteBuilder(16);
    const pieces = ['plain', 'café ☕', '𝄞 clef', 'x'.repeat(100), '\u{d800} lone', 'é'.repeat(70)];
    const out: Buffer[] = [];
    for (const piece of pieces) {
      builder.text(piece);
      const sealed = builder.seal();
      if (sealed) out.push(Buffer.from(sealed));
    }
    expect(Buffer.concat(out).toString('utf8')).toBe(Buffer.from(pieces.join('')).toString('utf8'));
  });

  it('gives marks the byte offsets of multi-byte text and keeps deferred lines in place', async () => {
    const path = join(store, 'stream.jsonl');
    const marks: Array<[unknown, number, number]> = [];
    const writer = new AppendWriter<string>(path, {
      flushBytes: 1 << 20,
      onError: (error) => {
        throw error;
      },
      onMark: (payload, start, end) => marks.push([payload, start, end]),
    });
    writer.append('{"a":"é"}\n');
    writer.appendMark('first');
    let resolveMedia = () => {};
    const deferred = {
      bytes: undefined as Buffer | undefined,
      fallback: Buffer.from('{"m":null}\n'),
      done: new Promise<void>((resolve) => {
        resolveMedia = resolve;
      }),
    };
    writer.appendDeferred(deferred);
    writer.append('{"b":"☕"}\n');
    writer.appendMark('second');
    await writer.flush();
    expect(readFileSync(path, 'utf8')).toBe('{"a":"é"}\n'); // waits at the deferred line
    deferred.bytes = Buffer.from('{"m":"ready"}\n');
    resolveMedia();
    await writer.close();
    const bytes = readFileSync(path);
    expect(bytes.toString('utf8')).toBe('{"a":"é"}\n{"m":"ready"}\n{"b":"☕"}\n');
    expect(marks).toEqual([
      ['first', 0, 11],
      ['second', 11, bytes.length],
    ]);
  });
});

describe('rows written as bytes', () => {
  it('read back with every value equal, whatever the number', async () => {
    const run = await quietInit(store, { id: 'bytes' });
    const next = random(3);
    const logged: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 3000; i++) {
      const row = {
        loss: 1 / (i + 1),
        small: next() * 1e-9,
        big: (next() - 0.5) * 1e22,
        count: i * 1_000_003,
        f32: Math.fround(next()),
        text: i % 7 === 0 ? `ü-${i}` : 'ascii',
        special: [Number.NaN, Infinity, -0, 0.1][i % 4],
        // Each value three times in a row: a repeated number's text is reused, never across 0 and -0.
        repeated: [0.001, Math.fround(0.1), 0, -0, 1e-7, 0.1 + 0.2, Number.NaN, 7][Math.floor(i / 3) % 8],
      };
      logged.push(row);
      run.log(row);
    }
    await run.finish();
    const rows = readRows(join(run.dir, 'history.jsonl'));
    expect(rows).toHaveLength(3000);
    rows.forEach((row, i) => {
      const { _runtime, _timestamp, ...values } = row;
      expect(values).toEqual({ _step: i, ...logged[i] });
    });
    const line = readFileSync(join(run.dir, 'history.jsonl'), 'utf8').split('\n')[1];
    expect(decodeJson(line)).toMatchObject({ loss: 0.5, count: 1_000_003 });
    expect(line).toContain('"loss":0.5,');
  });

  it('a row with media is built by the same writer: its other members, then its media, then the time fields', async () => {
    const run = await quietInit(store, { id: 'media-bytes' });
    const note: MediaValue = {
      [MEDIA_VALUE]: true,
      mediaKind: 'text',
      async toMediaRef(context) {
        return { _type: 'text-file', ...(await context.writeMediaFile('text', 'txt', Buffer.from('ü'))) };
      },
    };
    run.log({ a: 0.1, note, b: 'ü', c: -0, d: 2 ** 53 + 2 });
    run.log({ a: 0.1, b: 'ü', c: -0, d: 2 ** 53 + 2 });
    await run.finish();
    const [withMedia, without] = readFileSync(join(run.dir, 'history.jsonl'), 'utf8').split('\n');
    const members = '"a":0.1,"b":"ü","c":{"_type":"float","value":"-0"},"d":9007199254740994';
    expect(withMedia).toMatch(
      new RegExp(
        `^\\{"_step":0,${members.replace(/[.{}]/g, '\\$&')},"note":\\{"_type":"text-file","path":"media/text/note_0_[0-9a-f]{20}\\.txt",.*\\},"_runtime":[0-9.]+,"_timestamp":[0-9.]+\\}$`,
      ),
    );
    expect(without).toMatch(new RegExp(`^\\{"_step":1,${members.replace(/[.{}]/g, '\\$&')},"_runtime":`));
  });
});
