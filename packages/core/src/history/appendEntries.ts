/** What an append writer's queue holds: bytes, lines waiting for their media, and marks. */

/**
 * A line whose bytes are not known yet (a row whose media is still encoding): `bytes` is set before `done`
 * resolves; `fallback` (the line without what is missing) is written if the writer must stop now.
 */
export interface DeferredLine {
  bytes: Buffer | undefined;
  fallback: Buffer;
  done: Promise<void>;
}

/** A position in the stream (between two lines) whose byte offset someone wants once it is on disk. */
export class Mark<M> {
  /** `dropped`: lines the writer had dropped when the mark was appended (a full queue on a failing disk). */
  constructor(
    readonly payload: M,
    readonly dropped = 0,
  ) {}
}

export type Entry<M> = Buffer | DeferredLine | Mark<M>;

export function isDeferred<M>(entry: Entry<M>): entry is DeferredLine {
  return !Buffer.isBuffer(entry) && !(entry instanceof Mark);
}

/** A deferred line's bytes when ready, else its fallback with `useFallbacks`, else undefined. */
export function bytesOf(line: DeferredLine, useFallbacks: boolean): Buffer | undefined {
  return line.bytes ?? (useFallbacks ? line.fallback : undefined);
}

export function newlines(bytes: Buffer | undefined): number {
  if (bytes === undefined) return 0;
  let count = 0;
  for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) count++;
  return count;
}

export function queuedSize<M>(entry: Entry<M>): number {
  if (entry instanceof Mark) return 0;
  return Buffer.isBuffer(entry) ? entry.length : entry.fallback.length;
}
