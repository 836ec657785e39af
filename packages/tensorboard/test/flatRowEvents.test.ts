import type { FlatHistoryRow } from '@runlog/core';
import { describe, expect, it } from 'vitest';
import { EventEncoder } from '../src/proto/eventEncoder.js';
import { FlatRowEvents } from '../src/proto/flatRowEvents.js';

/** A flat row as the history cursor hands it over (stale entries past `length` included, as the cursor leaves). */
function flatRow(step: number, timestamp: number, entries: Array<[string, number]>): FlatHistoryRow {
  const keys = [...entries.map(([key]) => key), 'stale'];
  const values = Float64Array.from([...entries.map(([, value]) => value), 12345]);
  return { step, runtime: Number.NaN, timestamp, length: entries.length, keys, values };
}

/** What the encoder writes for a row without the layout: beginEvent, one scalar per key, endEvent. */
function writeGenerically(encoder: EventEncoder, row: FlatHistoryRow): void {
  encoder.beginEvent(row.timestamp, row.step);
  for (let i = 0; i < row.length; i++) encoder.scalar(row.keys[i], row.values[i]);
  encoder.endEvent();
}

describe('FlatRowEvents (an export row of numbers as one laid-out event)', () => {
  it('writes the very bytes the encoder writes, across key changes, new tags, steps of every varint size', () => {
    const rows: FlatHistoryRow[] = [];
    const many = Array.from({ length: 12 }, (_, i) => `metric/with/a/long/name/${i}`); // a summary over 127 bytes
    const wide = Array.from({ length: 70 }, (_, i) => `w${i}`); // over 64 keys: every byte goes through the CRC
    const steps = [0, 1, 2, 127, 128, 129, 16383, 16384, 2 ** 21 - 1, 2 ** 21, 2 ** 28, 2 ** 31 - 1];
    steps.push(2 ** 31, 2 ** 40, -1, 2.5); // left to the encoder
    let time = 1796219035.331;
    for (const [i, step] of steps.entries()) {
      time += 0.001;
      rows.push(
        flatRow(step, time, [
          ['loss', 1 / (i + 1)],
          ['acc', i * 1e-6],
        ]),
      );
      rows.push(
        flatRow(step, time, [
          ['loss', -0],
          ['acc', Number.MAX_VALUE],
          ['lr', 1e-300],
        ]),
      ); // lr is new once
      rows.push(
        flatRow(step, time, [
          ['acc', 0.5],
          ['loss', Number.MIN_VALUE],
        ]),
      ); // the same keys, another order
      rows.push(
        flatRow(
          step,
          time,
          many.map((key, k) => [key, k * i] as [string, number]),
        ),
      );
      rows.push(
        flatRow(
          step,
          time,
          wide.map((key, k) => [key, k / (i + 1)] as [string, number]),
        ),
      );
      rows.push(flatRow(step, time, [])); // no values: no event
      rows.push(
        flatRow(step, time, [
          ['loss', Number.POSITIVE_INFINITY],
          ['é/ü', Number.NaN],
        ]),
      );
    }
    const generic = new EventEncoder();
    for (const row of rows) writeGenerically(generic, row);
    const laidOut = new EventEncoder();
    const events = new FlatRowEvents(laidOut);
    let written = 0;
    for (const row of rows) {
      if (events.write(row)) written++;
      else {
        events.settle();
        writeGenerically(laidOut, row);
      }
    }
    events.settle();
    expect(written).toBeGreaterThan(rows.length / 2);
    expect(
      Buffer.from(laidOut.out.bytes.subarray(0, laidOut.out.pos)).equals(
        Buffer.from(generic.out.bytes.subarray(0, generic.out.pos)),
      ),
    ).toBe(true);
    for (const tag of ['loss', 'acc', 'lr', many[3], 'é/ü']) {
      expect(Object.is(laidOut.lastScalar(tag), generic.lastScalar(tag)), tag).toBe(true);
    }
  });

  it('reports the last value of every tag to the encoder, whichever writer wrote it last', () => {
    const encoder = new EventEncoder();
    const events = new FlatRowEvents(encoder);
    const write = (row: FlatHistoryRow) => {
      if (!events.write(row)) {
        events.settle();
        writeGenerically(encoder, row);
      }
    };
    write(
      flatRow(1, 1, [
        ['a', 1],
        ['b', 2],
      ]),
    ); // first scalars: the encoder's
    write(
      flatRow(2, 1, [
        ['a', 3],
        ['b', 4],
      ]),
    ); // laid out
    write(flatRow(3, 1, [['a', 5]])); // another layout: a's last value now 5, b's still 4
    write(
      flatRow(4, 1, [
        ['a', 6],
        ['b', 7],
      ]),
    );
    events.settle();
    encoder.beginEvent(1, 5);
    encoder.scalar('a', 8); // the encoder itself, after a settle
    encoder.endEvent();
    expect([encoder.lastScalar('a'), encoder.lastScalar('b')]).toEqual([8, 7]);
  });
});
