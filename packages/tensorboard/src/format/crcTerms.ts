/**
 * CRC-32C of records that differ from a template in a few bytes, one table lookup per differing byte.
 *
 * CRC-32C is affine in the message: for two messages of one length, crc(M) = crc(T) ^ raw(M ^ T), where raw is the
 * register run from zero with no final inversion. raw is linear, so it is the XOR of one term per byte, and a
 * byte's term depends only on its value and its distance from the message's end (the zero bytes after it shift
 * it). With the varying bytes of the template left zero, crc(M) = crc(T) ^ the terms of M's varying bytes.
 * The export's events (wall time, step, values: about 40 of a 4-scalar event's 110 bytes) are its hot loop.
 */
const POLYNOMIAL = 0x82f63b78;
const BYTE_TERMS = Int32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLYNOMIAL : c >>> 1;
  return c;
});

/**
 * The terms of bytes at `distances` from the message's end (0: the last byte), as one flat table: entry
 * `slot * 256 + byte` is the term of `byte` at `distances[slot]`. XOR the entries of a record's varying bytes
 * into the template's crc32c (not masked) to get the record's. Costs 256 steps per byte of the largest distance.
 */
export function crcTermTable(distances: ArrayLike<number>): Int32Array {
  const table = new Int32Array(distances.length * 256);
  let farthest = 0;
  for (let slot = 0; slot < distances.length; slot++) farthest = Math.max(farthest, distances[slot]);
  const slotsAt = new Map<number, number[]>();
  for (let slot = 0; slot < distances.length; slot++) {
    const slots = slotsAt.get(distances[slot]);
    if (slots === undefined) slotsAt.set(distances[slot], [slot]);
    else slots.push(slot);
  }
  // The terms at distance d + 1 are those at d run through one more zero byte.
  const terms = Int32Array.from(BYTE_TERMS);
  for (let distance = 0; distance <= farthest; distance++) {
    if (distance > 0) {
      for (let b = 0; b < 256; b++) {
        const r = terms[b];
        terms[b] = BYTE_TERMS[r & 0xff] ^ (r >>> 8);
      }
    }
    for (const slot of slotsAt.get(distance) ?? []) table.set(terms, slot * 256);
  }
  return table;
}
