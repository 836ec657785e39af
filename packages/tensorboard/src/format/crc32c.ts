/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), as TFRecord framing uses it, in plain JavaScript:
 * slicing-by-8 (eight 256-entry tables, eight bytes per step). bench/tensorboard.bench.ts measures it.
 */
const POLYNOMIAL = 0x82f63b78;

const TABLES: Int32Array[] = (() => {
  const tables = Array.from({ length: 8 }, () => new Int32Array(256));
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLYNOMIAL : c >>> 1;
    tables[0][n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = tables[0][n];
    for (let t = 1; t < 8; t++) {
      c = tables[0][c & 0xff] ^ (c >>> 8);
      tables[t][n] = c;
    }
  }
  return tables;
})();
const [T0, T1, T2, T3, T4, T5, T6, T7] = TABLES;

/** The CRC-32C of `bytes[start, end)` (unsigned 32-bit). */
export function crc32c(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = ~0;
  let i = start;
  const stop8 = end - ((end - i) & 7);
  for (; i < stop8; i += 8) {
    const lo = crc ^ (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
    crc =
      T7[lo & 0xff] ^
      T6[(lo >>> 8) & 0xff] ^
      T5[(lo >>> 16) & 0xff] ^
      T4[lo >>> 24] ^
      T3[bytes[i + 4]] ^
      T2[bytes[i + 5]] ^
      T1[bytes[i + 6]] ^
      T0[bytes[i + 7]];
  }
  for (; i < end; i++) crc = T0[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return ~crc >>> 0;
}

const MASK_DELTA = 0xa282ead8;

/** TFRecord's masked CRC: rotate right by 15 bits and add a constant (so a CRC of CRCs is not trivially zero). */
export function maskCrc(crc: number): number {
  return (((crc >>> 15) | (crc << 17)) + MASK_DELTA) >>> 0;
}

/** maskCrc(crc32c(bytes[start, end))). */
export function maskedCrc32c(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return maskCrc(crc32c(bytes, start, end));
}
