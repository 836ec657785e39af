import { describe, expect, it } from 'vitest';
import { crc32c, maskCrc, maskedCrc32c } from '../src/format/crc32c.js';
import { crcTermTable } from '../src/format/crcTerms.js';

const ascii = (text: string) => new TextEncoder().encode(text);

/** Bit-by-bit CRC-32C: the definition, slow, to check the table-driven one against. */
function referenceCrc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('crc32c', () => {
  it('matches the published check values (RFC 3720 B.4 and the "123456789" check)', () => {
    expect(crc32c(ascii('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });

  it('agrees with the bit-by-bit definition for every length and alignment up to 70 bytes', () => {
    const bytes = Uint8Array.from({ length: 80 }, (_, i) => (i * 151 + 7) & 0xff);
    for (let start = 0; start < 9; start++) {
      for (let end = start; end <= 79; end++) {
        expect(crc32c(bytes, start, end)).toBe(referenceCrc32c(bytes.subarray(start, end)));
      }
    }
  });

  it("masks as TFRecord does (TensorBoard's masked_crc32c of 8 zero bytes)", () => {
    // tensorboard.compat.tensorflow_stub.pywrap_tensorflow.masked_crc32c(b"\0" * 8) == 127402793
    expect(maskedCrc32c(new Uint8Array(8))).toBe(127402793);
    expect(maskCrc(0)).toBe(0xa282ead8);
  });

  it('a template CRC with the terms of the varying bytes XORed in is the CRC of the whole record', () => {
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    for (const length of [1, 2, 9, 64, 300]) {
      const template = Uint8Array.from({ length }, () => random() & 0xff);
      const varying = [...new Set(Array.from({ length: Math.ceil(length / 3) }, () => random() % length))];
      for (const at of varying) template[at] = 0;
      const terms = crcTermTable(varying.map((at) => length - 1 - at));
      const base = crc32c(template);
      for (let trial = 0; trial < 20; trial++) {
        const record = template.slice();
        let crc = base;
        varying.forEach((at, slot) => {
          record[at] = random() & 0xff;
          crc ^= terms[slot * 256 + record[at]];
        });
        expect(crc >>> 0).toBe(referenceCrc32c(record));
      }
    }
  });
});
