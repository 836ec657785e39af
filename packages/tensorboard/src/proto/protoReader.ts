import { WIRE } from './protoWriter.js';

const textDecoder = new TextDecoder();

/** Thrown for bytes that are not a well-formed protobuf message; the caller skips the record and counts it. */
export class ProtoDecodeError extends Error {}

/** Reads protobuf fields from `bytes[pos, end)`. Length-delimited fields come back as views, never copies. */
export class ProtoReader {
  private view: DataView | undefined;

  constructor(
    readonly bytes: Uint8Array,
    public pos = 0,
    public end = bytes.length,
  ) {}

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** The next field's key: `field * 8 + wireType`. */
  key(): number {
    return this.varint();
  }

  /** A varint as a number (exact up to 2^53); an int64 with its top bit set comes back negative. */
  varint(): number {
    const bytes = this.bytes;
    let b = bytes[this.pos++];
    if (b < 0x80) return b;
    let lo = b & 0x7f;
    b = bytes[this.pos++];
    lo |= (b & 0x7f) << 7;
    if (b < 0x80) return this.checked(lo);
    b = bytes[this.pos++];
    lo |= (b & 0x7f) << 14;
    if (b < 0x80) return this.checked(lo);
    b = bytes[this.pos++];
    lo |= (b & 0x7f) << 21;
    if (b < 0x80) return this.checked(lo);
    // The fifth byte straddles the 32-bit halves; bytes six to ten fill the high half.
    b = bytes[this.pos++];
    lo = (lo | ((b & 0x0f) << 28)) >>> 0;
    let hi = (b & 0x7f) >>> 4;
    for (let shift = 3; b >= 0x80 && shift < 32; shift += 7) {
      b = bytes[this.pos++];
      hi |= (b & 0x7f) << shift;
    }
    if (b >= 0x80) throw new ProtoDecodeError('varint longer than ten bytes');
    hi >>>= 0;
    if (hi >= 0x80000000) return this.checked(-((~hi >>> 0) * 0x100000000 + (~lo >>> 0) + 1));
    return this.checked(hi * 0x100000000 + lo);
  }

  private checked(value: number): number {
    if (this.pos > this.end) throw new ProtoDecodeError('varint runs past the end of its message');
    return value;
  }

  private dataView(): DataView {
    this.view ??= new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    return this.view;
  }

  double(): number {
    this.need(8);
    const value = this.dataView().getFloat64(this.pos, true);
    this.pos += 8;
    return value;
  }

  float(): number {
    this.need(4);
    const value = this.dataView().getFloat32(this.pos, true);
    this.pos += 4;
    return value;
  }

  fixed32(): number {
    this.need(4);
    const value = this.dataView().getUint32(this.pos, true);
    this.pos += 4;
    return value;
  }

  /** A length-delimited field's content, as [start, end) in `bytes`. */
  delimited(): [number, number] {
    const length = this.varint();
    const start = this.pos;
    this.need(length);
    this.pos += length;
    return [start, this.pos];
  }

  bytesView(): Uint8Array {
    const [start, end] = this.delimited();
    return this.bytes.subarray(start, end);
  }

  string(): string {
    const [start, end] = this.delimited();
    return textDecoder.decode(this.bytes.subarray(start, end));
  }

  /** A reader over a nested message's content. */
  message(): ProtoReader {
    const [start, end] = this.delimited();
    return new ProtoReader(this.bytes, start, end);
  }

  /** Skips a field's value of this wire type. */
  skip(wireType: number): void {
    switch (wireType) {
      case WIRE.varint:
        this.varint();
        return;
      case WIRE.fixed64:
        this.need(8);
        this.pos += 8;
        return;
      case WIRE.bytes:
        this.delimited();
        return;
      case WIRE.fixed32:
        this.need(4);
        this.pos += 4;
        return;
      default:
        throw new ProtoDecodeError(`unsupported wire type ${wireType}`);
    }
  }

  /** Repeated numbers, packed (one length-delimited field) or not (one value per field). */
  repeated(wireType: number, read: (reader: ProtoReader) => number, into: number[]): void {
    if (wireType !== WIRE.bytes) {
      into.push(read(this));
      return;
    }
    const [start, end] = this.delimited();
    const inner = new ProtoReader(this.bytes, start, end);
    inner.view = this.view;
    while (inner.pos < end) into.push(read(inner));
  }

  private need(n: number): void {
    if (this.pos + n > this.end) throw new ProtoDecodeError('field runs past the end of its message');
  }
}
