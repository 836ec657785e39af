import { CRC32C_BYTE_TABLE, crc32c } from './crc32c.js';

/**
 * The effect on a CRC-32C register of byte `v` followed by `d` zero bytes, at [d * 256 + v]: grown on demand up to
 * the longest template seen (a 256-entry table per byte of it).
 */
let byDistance = new Int32Array(0);

function ensureDistances(count: number): void {
  const known = byDistance.length >> 8;
  if (count <= known) return;
  const grown = new Int32Array(count * 256);
  grown.set(byDistance);
  for (let d = known; d < count; d++) {
    for (let v = 0; v < 256; v++) {
      const r = d === 0 ? CRC32C_BYTE_TABLE[v] : grown[(d - 1) * 256 + v];
      grown[d * 256 + v] = d === 0 ? r : CRC32C_BYTE_TABLE[r & 0xff] ^ (r >>> 8);
    }
  }
  byDistance = grown;
}

/**
 * CRC-32C of records that differ from one template only in some bytes (the holes): a record's CRC is the CRC of
 * the template with its holes zeroed, XOR, for each hole byte, the effect of that byte followed by the bytes after
 * it (the CRC is linear in the bytes, for a given length). Export writes a million events of one layout whose
 * variable bytes are its wall time, step and values: about 40 table lookups instead of a CRC over 110 bytes.
 */
export class HoleCrc {
  /** CRC-32C of the template, holes zeroed. */
  private readonly base: number;
  /** Per hole byte: its offset in the record, then its table's start in `byDistance`. */
  private readonly holes: Int32Array;

  /** `template`: the record's bytes (the holes' content does not matter); `holes`: the offsets that vary. */
  constructor(template: Uint8Array, holes: readonly number[]) {
    const zeroed = template.slice();
    for (const at of holes) zeroed[at] = 0;
    this.base = crc32c(zeroed);
    ensureDistances(template.length);
    this.holes = new Int32Array(holes.length * 2);
    holes.forEach((at, i) => {
      this.holes[2 * i] = at;
      this.holes[2 * i + 1] = (template.length - 1 - at) * 256;
    });
  }

  /** The CRC-32C of the record at `bytes[start, start + template length)`, which matches the template but in holes. */
  crc(bytes: Uint8Array, start: number): number {
    const table = byDistance;
    const holes = this.holes;
    let crc = this.base;
    for (let h = 0; h < holes.length; h += 2) crc ^= table[holes[h + 1] + bytes[start + holes[h]]];
    return crc >>> 0;
  }
}
