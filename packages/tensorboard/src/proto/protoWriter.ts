/** Protobuf wire types. */
export const WIRE = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const;

const textEncoder = new TextEncoder();

/**
 * A growable byte buffer that writes protobuf fields by hand. Nested messages and TFRecord frames are written in
 * place: `begin()` reserves a one-byte length, `end()` fills it in (moving the content when the length needs more
 * bytes), so an Event is encoded and framed without building intermediate arrays.
 */
export class ProtoWriter {
  bytes: Uint8Array;
  pos = 0;
  private view: DataView;

  constructor(initialSize = 64 * 1024) {
    this.bytes = new Uint8Array(initialSize);
    this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.pos + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes.subarray(0, this.pos));
    this.bytes = grown;
    this.view = new DataView(grown.buffer, grown.byteOffset, grown.byteLength);
  }

  /**
   * Hands over the bytes written so far (a view of the current buffer) and goes on in `next`, or in a new buffer of
   * the same size: a writer double-buffers without copying what it hands to the file.
   */
  swap(next?: Uint8Array): Uint8Array {
    const written = this.bytes.subarray(0, this.pos);
    this.bytes = next && next.length >= 64 ? next : new Uint8Array(this.bytes.length);
    this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    this.pos = 0;
    return written;
  }

  /** Forgets everything written (the buffer is kept). */
  reset(): void {
    this.pos = 0;
  }

  tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  /** A non-negative integer up to 2^53, or a negative one as int64 (ten bytes, two's complement). */
  varint(value: number): void {
    this.ensure(10);
    const bytes = this.bytes;
    if (value >= 0 && value < 0x80000000) {
      let v = value;
      while (v > 0x7f) {
        bytes[this.pos++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      bytes[this.pos++] = v;
      return;
    }
    // Large or negative: split into 32-bit halves of the two's complement 64-bit value.
    let lo: number;
    let hi: number;
    if (value >= 0) {
      lo = value >>> 0;
      hi = Math.floor(value / 0x100000000) >>> 0;
    } else {
      const magnitude = -value;
      lo = magnitude >>> 0;
      hi = Math.floor(magnitude / 0x100000000) >>> 0;
      lo = ~lo + 1;
      hi = ~hi + (lo === 0 ? 1 : 0);
      lo >>>= 0;
      hi >>>= 0;
    }
    while (hi > 0 || lo > 0x7f) {
      bytes[this.pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    bytes[this.pos++] = lo;
  }

  varintField(field: number, value: number): void {
    this.tag(field, WIRE.varint);
    this.varint(value);
  }

  boolField(field: number, value: boolean): void {
    this.tag(field, WIRE.varint);
    this.varint(value ? 1 : 0);
  }

  double(value: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, value, true);
    this.pos += 8;
  }

  doubleField(field: number, value: number): void {
    this.tag(field, WIRE.fixed64);
    this.double(value);
  }

  float(value: number): void {
    this.ensure(4);
    this.view.setFloat32(this.pos, value, true);
    this.pos += 4;
  }

  floatField(field: number, value: number): void {
    this.tag(field, WIRE.fixed32);
    this.float(value);
  }

  uint32LE(value: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, value, true);
    this.pos += 4;
  }

  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.bytes.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  bytesField(field: number, bytes: Uint8Array): void {
    this.tag(field, WIRE.bytes);
    this.varint(bytes.length);
    this.raw(bytes);
  }

  stringField(field: number, text: string): void {
    this.tag(field, WIRE.bytes);
    const start = this.begin();
    this.utf8(text);
    this.end(start);
  }

  /** UTF-8 text, without a length. */
  utf8(text: string): void {
    this.ensure(text.length * 3);
    this.pos += textEncoder.encodeInto(text, this.bytes.subarray(this.pos)).written;
  }

  /**
   * Starts a length-delimited field's content (after its tag), leaving `reserve` bytes for its length (one by
   * default; more when the caller expects a long content, so `end()` need not move it): returns where the content
   * starts.
   */
  begin(reserve = 1): number {
    this.ensure(reserve);
    this.pos += reserve;
    return this.pos;
  }

  /** Ends a length-delimited field started with `begin(reserve)`, writing its length before it. */
  end(contentStart: number, reserve = 1): void {
    const length = this.pos - contentStart;
    if (length < 0x80 && reserve === 1) {
      this.bytes[contentStart - 1] = length;
      return;
    }
    let size = 1;
    for (let v = length >>> 7; v > 0; v >>>= 7) size++;
    const shift = size - reserve;
    if (shift !== 0) {
      // the length took more (or fewer) bytes than reserved: move the content
      this.ensure(Math.max(0, shift));
      this.bytes.copyWithin(contentStart + shift, contentStart, this.pos);
    }
    const end = this.pos + shift;
    this.pos = contentStart - reserve;
    this.varint(length);
    this.pos = end;
  }

  /** Bytes a varint of this value takes. */
  static varintSize(value: number): number {
    let size = 1;
    for (let v = value >>> 7; v > 0; v >>>= 7) size++;
    return size;
  }

  /** A nested message field: tag, then `begin()`; close it with `end()`. */
  beginField(field: number): number {
    this.tag(field, WIRE.bytes);
    return this.begin();
  }

  /** A copy of the bytes written so far. */
  toBytes(): Uint8Array {
    return this.bytes.slice(0, this.pos);
  }
}
