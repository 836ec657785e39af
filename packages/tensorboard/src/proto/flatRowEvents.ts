import type { FlatHistoryRow } from '@runlog/core';
import { crc32c, maskCrc, maskedCrc32c } from '../format/crc32c.js';
import { crcTermTable } from '../format/crcTerms.js';
import { RECORD_FOOTER_BYTES, RECORD_HEADER_BYTES } from '../format/recordFraming.js';
import type { EventEncoder } from './eventEncoder.js';
import { EVENT } from './fieldNumbers.js';
import { ProtoWriter, WIRE } from './protoWriter.js';

/** The events of rows with one set of keys: everything but the wall time, the step and the values is fixed. */
interface RowLayout {
  keys: string[];
  /** The Summary field of the event (tag, length, one Summary.Value per key), the values' 8 bytes left zero. */
  summary: Uint8Array;
  /** Where each key's 8 value bytes start in `summary`. */
  valueAt: Int32Array;
  /** The values of the last row written with this layout, not yet reported to the encoder when `unreported`. */
  lastValues: Float64Array;
  unreported: boolean;
  /** The CRC terms of the values' bytes (8 slots a key, from the end of the event); undefined: CRC every byte. */
  valueTerms: Int32Array | undefined;
  /** Per length of the step's varint (0: step 0, no field), the CRC of the event with every varying byte zero. */
  heads: (EventHead | undefined)[];
  /** The values' last 32-bit words (two a key) and their CRC terms (an all-zero word's term is 0). */
  lastWords: Int32Array;
  lastTerms: Int32Array;
}

/** What the CRC of a layout's events of one length starts from. */
interface EventHead {
  /** crc32c of the event with its wall time, step and values zero. */
  crc: number;
  /** The CRC terms of the wall time's 8 bytes, then the step's. */
  terms: Int32Array;
  /** The wall time's last two words and their terms. */
  lastWords: Int32Array;
  lastTerms: Int32Array;
}

const WALL_TIME_TAG = EVENT.wallTime * 8 + WIRE.fixed64;
const STEP_TAG = EVENT.step * 8 + WIRE.varint;
/** The largest event this writer lays out before the summary: wall time (9 bytes) and a step (up to 6). */
const EVENT_HEAD_BYTES = 15;
const MAX_LAYOUTS = 64;
/** Wider rows CRC every byte: their value terms (8 KiB a key) would outgrow the caches. */
const MAX_TERMED_KEYS = 64;

/**
 * Writes history rows of numbers as TensorBoard events in one step each, byte for byte what EventEncoder writes
 * for `beginEvent`, one `scalar` per key and `endEvent` (the export's hot loop: a 1M-row run is 1M events). The
 * rows of a long run share their keys, so each set of keys gets its event laid out once (the Summary.Values of its
 * tags); a row then costs its wall time, step and values written into a copy of that, and its data's CRC: the
 * layout's CRC with the terms of the bytes that vary XORed in (crcTerms.ts), a 32-bit word's terms reused while
 * the word repeats (the header's CRC is the same for every record of a length).
 * Rows it cannot lay out (a tag's first scalar, which carries the plugin metadata; a step that is not a small
 * non-negative integer, no `_timestamp`) are left to the caller, which writes them with the encoder after calling `settle`.
 */
export class FlatRowEvents {
  private layout: RowLayout | undefined;
  private readonly layouts = new Map<string, RowLayout>();
  private view: DataView | undefined;
  private viewOf: Uint8Array | undefined;
  /** The header CRC of the last record length seen (events of one layout have a length or two). */
  private headerLength = -1;
  private headerCrc = 0;

  constructor(private readonly encoder: EventEncoder) {}

  /**
   * Writes `row` as one event at its `_timestamp`; false (nothing written) when the caller must write it (also a
   * row without `_timestamp`: the caller knows the time before). One argument: a double passed to a call that is
   * not inlined is boxed, a million times here.
   */
  write(row: FlatHistoryRow): boolean {
    const step = row.step;
    const wallTime = row.timestamp;
    if (!(step >= 0 && step <= 0x7fffffff && Math.floor(step) === step) || Number.isNaN(wallTime)) return false;
    let layout = this.layout;
    if (layout === undefined || !sameKeys(layout.keys, row)) {
      layout = this.switchTo(row);
      if (layout === undefined) return false;
    }
    const out = this.encoder.out;
    const summary = layout.summary;
    out.ensure(RECORD_HEADER_BYTES + EVENT_HEAD_BYTES + summary.length + RECORD_FOOTER_BYTES);
    const bytes = out.bytes;
    if (bytes !== this.viewOf) {
      this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      this.viewOf = bytes;
    }
    const view = this.view as DataView;
    const recordStart = out.pos;
    const dataStart = recordStart + RECORD_HEADER_BYTES;
    let p = dataStart;
    bytes[p] = WALL_TIME_TAG;
    view.setFloat64(p + 1, wallTime, true);
    p += 9;
    if (step !== 0) {
      bytes[p++] = STEP_TAG;
      let v = step;
      while (v > 0x7f) {
        bytes[p++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      bytes[p++] = v;
    }
    const stepBytes = step === 0 ? 0 : p - dataStart - 10;
    bytes.set(summary, p);
    const { valueAt, lastValues } = layout;
    const values = row.values;
    for (let i = 0; i < valueAt.length; i++) {
      const value = values[i];
      view.setFloat64(p + valueAt[i], value, true);
      lastValues[i] = value;
    }
    layout.unreported = true;
    p += summary.length;
    const length = p - dataStart;
    if (length !== this.headerLength) this.setHeader(length);
    view.setUint32(recordStart, length, true);
    view.setUint32(recordStart + 4, 0, true);
    view.setUint32(recordStart + 8, this.headerCrc, true);
    const valueTerms = layout.valueTerms;
    if (valueTerms === undefined) view.setUint32(p, maskedCrc32c(bytes, dataStart, p), true);
    else {
      const head = layout.heads[stepBytes] ?? this.headOf(layout, bytes, dataStart, p, stepBytes);
      const headTerms = head.terms;
      let crc = head.crc ^ wordTerm(headTerms, 0, wallTime, head.lastWords, head.lastTerms);
      for (let j = 0; j < stepBytes; j++) crc ^= headTerms[((8 + j) << 8) | bytes[dataStart + 10 + j]];
      const { lastWords, lastTerms } = layout;
      for (let k = 0; k < valueAt.length; k++) crc ^= wordTerm(valueTerms, k * 8, values[k], lastWords, lastTerms);
      view.setUint32(p, maskCrc(crc >>> 0), true);
    }
    out.pos = p + RECORD_FOOTER_BYTES;
    return true;
  }

  /** The CRC start and head terms of `layout`'s events with a step of `stepBytes`, from the event just written. */
  private headOf(layout: RowLayout, bytes: Uint8Array, start: number, end: number, stepBytes: number): EventHead {
    const template = bytes.slice(start, end);
    template.fill(0, 1, 9);
    if (stepBytes > 0) template.fill(0, 10, 10 + stepBytes);
    const summaryStart = template.length - layout.summary.length;
    for (const at of layout.valueAt) template.fill(0, summaryStart + at, summaryStart + at + 8);
    const distances: number[] = [];
    for (let j = 0; j < 8; j++) distances.push(template.length - 2 - j);
    for (let j = 0; j < stepBytes; j++) distances.push(template.length - 11 - j);
    const head = {
      crc: crc32c(template) | 0,
      terms: crcTermTable(distances),
      lastWords: new Int32Array(2),
      lastTerms: new Int32Array(2),
    };
    layout.heads[stepBytes] = head;
    return head;
  }

  /** Reports the last values written here to the encoder: call it before the encoder writes scalars itself. */
  settle(): void {
    const layout = this.layout;
    if (layout === undefined || !layout.unreported) return;
    layout.unreported = false;
    for (let i = 0; i < layout.keys.length; i++) this.encoder.noteScalar(layout.keys[i], layout.lastValues[i]);
  }

  /** Makes the layout of `row`'s keys current (settling the one before); undefined when a tag is not described. */
  private switchTo(row: FlatHistoryRow): RowLayout | undefined {
    this.settle();
    const keys = row.keys.slice(0, row.length);
    const name = keys.join('\n'); // a flat row's keys hold no newline (JSON escapes it)
    let layout = this.layouts.get(name);
    if (layout === undefined) {
      layout = this.layOut(keys);
      if (layout === undefined) return undefined;
      if (this.layouts.size >= MAX_LAYOUTS) this.layouts.clear();
      this.layouts.set(name, layout);
    }
    this.layout = layout;
    return layout;
  }

  private layOut(keys: string[]): RowLayout | undefined {
    if (keys.length === 0) return undefined; // an event without values is not written at all
    const values: Uint8Array[] = [];
    let length = 0;
    for (const key of keys) {
      const value = this.encoder.scalarValueBytes(key);
      if (value === undefined) return undefined;
      values.push(value);
      length += value.length;
    }
    const out = new ProtoWriter(length + 8);
    out.tag(EVENT.summary, WIRE.bytes);
    out.varint(length);
    const valueAt = new Int32Array(keys.length);
    values.forEach((value, i) => {
      out.raw(value);
      valueAt[i] = out.pos - 8;
    });
    const summary = out.toBytes();
    const distances: number[] = [];
    for (const at of valueAt) for (let j = 0; j < 8; j++) distances.push(summary.length - 1 - at - j);
    return {
      keys,
      summary,
      valueAt,
      lastValues: new Float64Array(keys.length),
      unreported: false,
      valueTerms: LITTLE_ENDIAN && keys.length <= MAX_TERMED_KEYS ? crcTermTable(distances) : undefined,
      heads: [],
      lastWords: new Int32Array(2 * keys.length),
      lastTerms: new Int32Array(2 * keys.length),
    };
  }

  private setHeader(length: number): void {
    const header = new Uint8Array(8);
    new DataView(header.buffer).setUint32(0, length, true);
    this.headerLength = length;
    this.headerCrc = maskedCrc32c(header);
  }
}

function sameKeys(keys: string[], row: FlatHistoryRow): boolean {
  if (keys.length !== row.length) return false;
  const rowKeys = row.keys;
  for (let i = 0; i < keys.length; i++) if (keys[i] !== rowKeys[i]) return false;
  return true;
}

const DOUBLE = new Float64Array(1);
const DOUBLE_WORDS = new Int32Array(DOUBLE.buffer);
/** The words of DOUBLE are its little-endian bytes (as written into events) only on a little-endian machine. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The CRC terms of a double's 8 little-endian bytes in `terms` from `slot`, by 32-bit word: a word equal to the
 * one last seen at that place (a constant learning rate, a timestamp's high half) reuses its term.
 */
function wordTerm(
  terms: Int32Array,
  slot: number,
  value: number,
  lastWords: Int32Array,
  lastTerms: Int32Array,
): number {
  DOUBLE[0] = value;
  let sum = 0;
  for (let half = 0; half < 2; half++) {
    const word = DOUBLE_WORDS[half];
    const at = (slot >> 2) + half; // the word's place among the cached ones
    if (word !== lastWords[at]) {
      const s = (slot + 4 * half) << 8;
      lastWords[at] = word;
      lastTerms[at] =
        terms[s | (word & 0xff)] ^
        terms[(s + 256) | ((word >>> 8) & 0xff)] ^
        terms[(s + 512) | ((word >>> 16) & 0xff)] ^
        terms[(s + 768) | (word >>> 24)];
    }
    sum ^= lastTerms[at];
  }
  return sum;
}
