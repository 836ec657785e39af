import type { JsonObject } from '../values/jsonTypes.js';

/**
 * The media protocol: how a rich value (image, video, audio, table, plot...) reaches the store without core
 * knowing anything about it. @runlog/media implements it; any object that does can be passed to `run.log`.
 *
 * `run.log({ key: value })` validates nothing about the value itself (the value validated its input when it
 * was constructed), calls `toMediaRef(context)` in the background and, once the promise resolves, writes
 * the returned reference in the history row in place of the value. The row keeps its order in history.
 */
export const MEDIA_VALUE: unique symbol = Symbol.for('runlog.media-value') as never;

export interface MediaValue {
  readonly [MEDIA_VALUE]: true;
  /** The kind of media, also the folder under media/: 'image', 'video', 'audio', 'table', 'histogram'... */
  readonly mediaKind: string;
  /** Encodes the value and writes its files through `context`; resolves to the JSON kept in history. */
  toMediaRef(context: MediaWriteContext): Promise<MediaRef>;
}

/** What `toMediaRef` resolves to: a small JSON object. `_type` names the kind (`image-file`, `video-file`...). */
export interface MediaRef extends JsonObject {
  _type: string;
}

/** A file that `writeMediaFile` stored: its path relative to the run folder, its sha256 (hex) and size. */
export interface MediaFileRef {
  path: string;
  sha256: string;
  size: number;
}

export interface MediaWriteContext {
  /** Absolute path of the run folder. */
  readonly runDir: string;
  /** The key the value was logged under (may contain '/'). For values nested in tables, the table's key. */
  readonly key: string;
  /** The step of the history row the value belongs to. */
  readonly step: number;
  /**
   * Writes `bytes` as `media/<kind>/<key>_<step>_<sha256 first 20 hex>.<ext>` (a key's '/' become folders),
   * atomically (temp file + rename); identical bytes for the same key and step are written once.
   */
  writeMediaFile(kind: string, ext: string, bytes: Uint8Array): Promise<MediaFileRef>;
  /** Writes a media value nested in another one (a table cell, a gallery item) and returns its reference. */
  writeNested(value: MediaValue): Promise<MediaRef>;
}

/** True when `value` implements the media protocol. */
export function isMediaValue(value: unknown): value is MediaValue {
  return typeof value === 'object' && value !== null && (value as Partial<MediaValue>)[MEDIA_VALUE] === true;
}
