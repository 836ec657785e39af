import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRowBytes } from '../src/historyRows/parseRowBytes.js';
import { FLAT_ROW, PARSED_ROW, ROW_END, RowBytesCursor } from '../src/historyRows/rowBytesCursor.js';
import { Api, type FlatHistoryRow, type HistoryRow, init } from '../src/index.js';
import { parseRowLine, parseRows } from '../src/jsonLines/jsonLineRows.js';

const encoder = new TextEncoder();

/** Every row the cursor reads from `text`, as objects (flat rows rebuilt), and the damaged lines it skipped. */
function readAll(text: string, stepped = true): { rows: HistoryRow[]; flat: number; skipped: number } {
  const cursor = new RowBytesCursor(stepped);
  cursor.reset(encoder.encode(text));
  const rows: HistoryRow[] = [];
  let flat = 0;
  for (let kind = cursor.next(); kind !== ROW_END; kind = cursor.next()) {
    if (kind === FLAT_ROW) {
      flat++;
      rows.push(rebuild(cursor.flat));
    } else {
      expect(kind).toBe(PARSED_ROW);
      rows.push(cursor.parsed);
    }
  }
  return { rows, flat, skipped: cursor.skipped };
}

function rebuild(row: FlatHistoryRow): HistoryRow {
  const out: HistoryRow = {};
  if (!Number.isNaN(row.step)) out._step = row.step;
  for (let i = 0; i < row.length; i++) out[row.keys[i]] = row.values[i];
  if (!Number.isNaN(row.runtime)) out._runtime = row.runtime;
  if (!Number.isNaN(row.timestamp)) out._timestamp = row.timestamp;
  return out;
}

/** A deterministic generator (mulberry32), so failures reproduce. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('RowBytesCursor (history rows read from bytes)', () => {
  it('reads numbers exactly as JSON.parse does, shortest forms and long digit strings alike', () => {
    const next = random(7);
    const texts: string[] = [];
    for (let i = 0; i < 20000; i++) {
      const x = (next() - 0.5) * 10 ** Math.floor(next() * 40 - 20);
      texts.push(String(x), String(1 / (i + 1)), String(i * 1e-6), x.toPrecision(17), x.toPrecision(19));
      // 16-19 significant digits written out, as other writers may
      const digits = String(Math.floor(next() * 1e9)).padStart(9, '1') + String(Math.floor(next() * 1e10));
      texts.push(
        `0.${digits}`,
        `${digits.slice(0, 3)}.${digits.slice(3)}`,
        `-${digits.slice(0, 1)}.${digits.slice(1)}e-3`,
        `${digits.slice(0, 16)}.5${digits.slice(16)}`,
        `-0.0000${digits.slice(0, 17)}`,
        digits,
      );
    }
    texts.push('0', '-0', '0.0', '-0.0', '1e22', '1e23', '1.5E+3', '123456789012345678901234', '1e-400', '1e400');
    const lines = texts.map((text) => `{"_step":1,"v":${text}}`);
    const { rows, flat } = readAll(`${lines.join('\n')}\n`);
    expect(flat).toBe(texts.length);
    const wrong = texts.filter((_text, i) => !Object.is(rows[i].v, JSON.parse(lines[i]).v));
    expect(wrong).toEqual([]);
  });

  it('gives rows equal to the one row parser, flat or not, and skips damaged lines by the same rule', () => {
    const lines = [
      '{"_step":0,"loss":0.5,"acc":1,"_runtime":0.012,"_timestamp":1795327200.123}',
      '{"_step":1,"loss":0.25,"acc":0.999,"_runtime":0.013,"_timestamp":1795327200.124}',
      '{"_step":2,"acc":0.5,"loss":0.125,"_runtime":0.014,"_timestamp":1795327200.125}', // keys in another order
      '{"_step":3,"text":"hi","loss":1}', // a string: parsed
      '{"_step":4,"loss":{"_type":"number","value":"NaN"}}', // runlog's NaN: parsed and decoded
      '{"_step":5,"lé":2,"é\\"q":3}', // escapes: parsed
      '{"_step":6,"x":01}', // not JSON: damaged
      '{"_step":7,"x":1',
      '',
      '{"loss":1}', // no step: parsed (as readStream does)
      '{"_step":8,"x":1} ',
      '{"_step":9,"é":-1.5e-7,"_x":2}',
      '[1,2]',
      '{}',
    ];
    const text = `${lines.join('\n')}\n`;
    const { rows, flat, skipped } = readAll(text);
    const expected = lines.map((l) => (l === '' ? null : parseRowLine(l))).filter((r) => r !== null);
    expect(rows.map((r) => JSON.stringify(r, Object.keys(r).sort()))).toEqual(
      expected.filter((r) => r !== undefined).map((r) => JSON.stringify(r, Object.keys(r ?? {}).sort())),
    );
    expect(skipped).toBe(expected.filter((r) => r === undefined).length);
    expect(flat).toBe(4);
  });

  it('compares a cached key word by word only where the line holds it: keys that differ late, short last lines', () => {
    const lines = [
      '{"a_rather_long_metric_name_for_the_validation_loe":1,"_step":0}',
      '{"a_rather_long_metric_name_for_the_validation_loa":2,"_step":1}', // differs in the last whole word
      '{"a_rather_long_metric_name_for_the_validation_loe_2":3,"_step":2}', // the cached key is a prefix of this one
      '{"a_rather_long":4,"_step":3}',
      '{"a":5,"_step":4}', // shorter than the key cached for its position, at the end of the bytes
    ];
    const { rows, flat } = readAll(`${lines.join('\n')}\n`);
    expect(rows).toEqual(lines.map((line) => JSON.parse(line)));
    expect(flat).toBe(lines.length);
    // Bytes that end inside a key matching the cached one so far (a torn last line): skipped, not read past.
    const torn = readAll(`${lines[0]}\n{"a_rather_long_metric_name_for_the_valid`);
    expect(torn.rows).toEqual([JSON.parse(lines[0])]);
    expect(torn.skipped).toBe(1);
  });

  it('parseRowBytes makes the objects parseRows makes of the same text: keys in the same order, damage skipped', () => {
    const lines = [
      '{"_step":0,"loss":0.5,"acc":1,"_runtime":0.012,"_timestamp":1795327200.123}',
      '{"_timestamp":1795327200.124,"acc":0.25,"_step":1,"x/y":-0,"_runtime":0.013}', // runlog's columns anywhere
      '{"_step":2,"a":1,"a":2}', // a repeated key: the last wins
      '{"_step":3,"__proto__":5,"b":1}', // an own property, not the prototype
      '{"_step":4,"text":"hi","loss":1}',
      '{"_step":5,"loss":{"_type":"number","value":"NaN"}}',
      '{"_step":6,"2":1,"1":2,"z":3}', // integer-like keys: ordered as JavaScript orders them
      '{"loss":1}', // no step
      '{"_step":7,"x":01}',
      '{"_step":8,"é":1e-7,"big":12345678901234567890}',
      '',
    ];
    const text = `${lines.join('\n')}\n`;
    for (const stepped of [true, false]) {
      const fromBytes = parseRowBytes(encoder.encode(text), stepped);
      const fromText = parseRows(text);
      expect(fromBytes.skipped).toBe(fromText.skipped);
      expect(fromBytes.rows.map((row) => JSON.stringify(row))).toEqual(fromText.rows.map((row) => JSON.stringify(row)));
      expect(fromBytes.rows.map((row) => Object.getPrototypeOf(row))).toEqual(
        fromText.rows.map(() => Object.prototype),
      );
      expect(Object.is(fromBytes.rows[1]['x/y'], -0)).toBe(true);
    }
  });

  const dir = mkdtempSync(join(tmpdir(), 'runlog-rowbytes-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('HistoryScan.visit gives the rows scanHistory gives, flat ones without objects, ranges and damage included', async () => {
    const run = await init({ project: 'p', id: 'visit', dir, settings: { console: false, systemMetrics: false } });
    for (let i = 0; i < 5000; i++) {
      const row: Record<string, unknown> = { loss: 1 / (i + 1), acc: i * 1e-6 };
      if (i % 1000 === 7) row.note = `step ${i}`;
      if (i % 1500 === 3) row.bad = Number.NaN;
      run.log(row);
    }
    await run.finish();
    appendFileSync(join(dir, 'p', 'runs', 'visit', 'history.jsonl'), '{"_step":9999,"oops\n{"_step":10000,"x":1}\n');
    const view = await new Api({ dir }).run('p/visit');
    for (const options of [{}, { minStep: 1200, maxStep: 3100 }]) {
      const expected = await view.scanHistory(options).toArray();
      const got: HistoryRow[] = [];
      let flat = 0;
      const scan = view.scanHistory(options);
      const count = await scan.visit({
        flat: (row) => {
          flat++;
          got.push(rebuild(row));
        },
        row: async (row) => {
          got.push(row);
        },
      });
      expect(count).toBe(expected.length);
      expect(got.map((r) => JSON.stringify(r, Object.keys(r).sort()))).toEqual(
        expected.map((r) => JSON.stringify(r, Object.keys(r).sort())),
      );
      expect(flat).toBeGreaterThan(expected.length - 10);
      if (!('minStep' in options)) expect(scan.skippedLines).toBe(1);
      expect(Number.isNaN(got.find((r) => r._step === 1503)?.bad)).toBe(true);
    }
  });

  it('HistoryScan.visit reads a history of several chunks into one reused buffer without mixing them up', async () => {
    // ~13 MB: four 4 MiB chunks read into the same buffer; the keys change across chunk boundaries, so the
    // cursor's cached key bytes from one chunk are compared against the next chunk's bytes.
    const run = await init({ project: 'p', id: 'chunks', dir, settings: { console: false, systemMetrics: false } });
    for (let i = 0; i < 120_000; i++) {
      run.log({ [`metric_${Math.floor(i / 7_000)}`]: i / 3, loss: 1 / (i + 1), padding_value: i * 1e-7 });
    }
    await run.finish();
    const view = await new Api({ dir }).run('p/chunks');
    const expected = await view.scanHistory().toArray();
    let index = 0;
    let mismatches = 0;
    const count = await view.scanHistory().visit({
      flat: (row) => {
        const want = JSON.stringify(expected[index++], Object.keys(expected[index - 1]).sort());
        const got = rebuild(row);
        if (JSON.stringify(got, Object.keys(got).sort()) !== want) mismatches++;
      },
      row: async () => {
        index++;
        mismatches++;
      },
    });
    expect(count).toBe(120_000);
    expect(index).toBe(120_000);
    expect(mismatches).toBe(0);
  }, 120_000);
});
