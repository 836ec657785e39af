import { writeDecimal, writeDigits } from '../values/decimalText.js';

const EMPTY = Buffer.alloc(0);

/**
 * UTF-8 text built straight into bytes: history rows are assembled here, piece by piece, instead of as
 * concatenated strings that would be joined and encoded again before each write (half the cost of a row).
 * Pieces are appended at the end; `seal()` hands out the bytes appended since the previous seal as a view,
 * and those bytes are never written over (a full backing buffer is replaced, not reused).
 */
export class ByteBuilder {
  /** Allocated at the first append, so a stream that stays empty costs nothing. */
  private buffer = EMPTY;
  /** Where the next byte goes. */
  private end = 0;
  /** Bytes before this offset were handed out by `seal()`. */
  private sealedEnd = 0;

  constructor(private readonly capacity: number) {}

  /** Bytes appended since the last seal. */
  get pending(): number {
    return this.end - this.sealedEnd;
  }

  /** The bytes appended since the last seal, left unsealed: a view to read now, not to keep. */
  get unsealed(): Buffer {
    return this.buffer.subarray(this.sealedEnd, this.end);
  }

  /** Drops the bytes appended after the first `pending` unsealed ones (a row that failed half way). */
  truncate(pending: number): void {
    if (pending < this.end - this.sealedEnd) this.end = this.sealedEnd + pending;
  }

  /** The bytes appended since the last seal (a view; undefined when there are none). */
  seal(): Buffer | undefined {
    if (this.end === this.sealedEnd) return undefined;
    const view = this.buffer.subarray(this.sealedEnd, this.end);
    this.sealedEnd = this.end;
    return view;
  }

  /** Makes room for `bytes` more bytes, moving the unsealed bytes to a new buffer if this one is full. */
  private reserve(bytes: number): void {
    if (this.end + bytes <= this.buffer.length) return;
    const unsealed = this.end - this.sealedEnd;
    const next = Buffer.allocUnsafe(Math.max(this.capacity, (unsealed + bytes) * 2));
    this.buffer.copy(next, 0, this.sealedEnd, this.end);
    this.buffer = next;
    this.sealedEnd = 0;
    this.end = unsealed;
  }

  /** Appends a string as UTF-8 (a byte loop for short ASCII, the native encoder otherwise). */
  text(text: string): void {
    const length = text.length;
    this.reserve(length * 3);
    const buffer = this.buffer;
    let end = this.end;
    if (length <= 64) {
      for (let i = 0; i < length; i++) {
        const code = text.charCodeAt(i);
        if (code >= 0x80) {
          this.end = end + buffer.write(text.slice(i), end, 'utf8');
          return;
        }
        buffer[end++] = code;
      }
      this.end = end;
      return;
    }
    this.end = end + buffer.write(text, end, 'utf8');
  }

  /** Appends bytes (a key's cached `,"key":`). */
  bytes(bytes: Uint8Array): void {
    const length = bytes.length;
    this.reserve(length);
    const buffer = this.buffer;
    let end = this.end;
    for (let i = 0; i < length; i++) buffer[end++] = bytes[i];
    this.end = end;
  }

  /** Appends a non-negative safe integer in decimal. */
  integer(value: number): void {
    this.reserve(16);
    this.end = writeDigits(this.buffer, this.end, value);
  }

  /** Appends a number as `String(value)` would, if `writeDecimal` covers it; false (nothing appended) if not. */
  decimal(value: number): boolean {
    this.reserve(28);
    const end = writeDecimal(this.buffer, this.end, value);
    if (end < 0) return false;
    this.end = end;
    return true;
  }
}
