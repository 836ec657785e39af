/**
 * The end of a history row: `,"_runtime":…,"_timestamp":…}` and its newline, as bytes. Both times are
 * seconds with millisecond precision, written from integers (fast) and made again only when `Date.now()` moves
 * to another millisecond, so `_runtime` (from the monotonic clock) may trail by under 1 ms. "12.340" parses to
 * exactly the double 12340 / 1000.
 */
export class RowEnd {
  /** A new buffer each time the row end changes: a row may keep the one it was given. */
  bytes = Buffer.alloc(0);
  private lastTimestampMs = -1;

  /** `runtime()`: seconds since the run started, resumes included. */
  constructor(private readonly runtime: () => number) {}

  /** Brings the bytes up to the current millisecond. */
  update(): void {
    const nowMs = Date.now();
    if (nowMs === this.lastTimestampMs) return;
    this.lastTimestampMs = nowMs;
    const runtimeMs = Math.round(this.runtime() * 1000);
    this.bytes = Buffer.from(`,"_runtime":${millisAsSeconds(runtimeMs)},"_timestamp":${millisAsSeconds(nowMs)}}\n`);
  }
}

/** A non-negative integer count of milliseconds as a JSON number of seconds: 1234 -> "1.234". */
function millisAsSeconds(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const rest = ms - seconds * 1000;
  return `${seconds}.${rest < 10 ? '00' : rest < 100 ? '0' : ''}${rest}`;
}
