import type { RowKey } from './historyWriter.js';
import type { PendingMedia } from './mediaMembers.js';
import { MAX_NUMBER_BYTES, MAX_ROW_BYTES, PENDING_ROW_SLACK, rowTooLarge } from './rowLimits.js';

/** What a key and its value add to a row, at most: `,"key":` and the value's text (a number: its longest). */
const entryBytes = (key: RowKey, fragment: string | undefined) =>
  key.prefixBytes.length + (fragment === undefined ? MAX_NUMBER_BYTES : Buffer.byteLength(fragment));

/** The bytes a pending row may reach: room is kept for what its commit adds. */
const PENDING_ROW_BYTES = MAX_ROW_BYTES - PENDING_ROW_SLACK;

/**
 * The row being accumulated (a `commit: false` or explicit-step call) until it is committed: its keys, each with
 * a number (kept as a number until the row is written) or the JSON text of another value, and its media values.
 * A key set again takes its new value, whichever kind it is.
 */
export class PendingRow {
  keys: RowKey[] = [];
  fragments: (string | undefined)[] = [];
  numbers: (number | undefined)[] = [];
  media: PendingMedia[] = [];
  /** At least the row's bytes: what every checked call added (values replaced since are still counted). */
  private bytesBound = 0;

  get isEmpty(): boolean {
    return this.keys.length === 0 && this.media.length === 0;
  }

  has(key: string): boolean {
    return this.keys.some((k) => k.key === key);
  }

  /** Sets a key: a number, or (for any other value) its JSON text. */
  set(key: RowKey, fragment: string | undefined, number: number | undefined): void {
    const index = this.keys.indexOf(key);
    if (index === -1) {
      this.keys.push(key);
      this.fragments.push(fragment);
      this.numbers.push(number);
    } else {
      this.fragments[index] = fragment;
      this.numbers[index] = number;
    }
    const mediaIndex = this.media.findIndex((m) => m.key === key);
    if (mediaIndex !== -1) this.media.splice(mediaIndex, 1);
  }

  setMedia(media: PendingMedia): void {
    const index = this.keys.indexOf(media.key);
    if (index !== -1) {
      this.keys.splice(index, 1);
      this.fragments.splice(index, 1);
      this.numbers.splice(index, 1);
    }
    const existing = this.media.findIndex((m) => m.key === media.key);
    if (existing === -1) this.media.push(media);
    else this.media[existing] = media;
  }

  /**
   * Throws ROW_TOO_LARGE, changing nothing, when setting the first `count` of `keys` to `fragments` (undefined: a
   * number) would take the row past the bound; else counts their bytes. Checked when a call adds to the row, so
   * the call that overflows it gets the error rather than the later one that commits it.
   */
  assertFits(keys: RowKey[], fragments: (string | undefined)[], count: number, step: number): void {
    let added = 0;
    for (let i = 0; i < count; i++) added += entryBytes(keys[i], fragments[i]);
    if (this.bytesBound + added > PENDING_ROW_BYTES) {
      // Over at first sight: values replaced since were counted twice, so measure the row as it would be.
      const replaced = new Set(keys.slice(0, count));
      let kept = 0;
      for (let i = 0; i < this.keys.length; i++) {
        if (!replaced.has(this.keys[i])) kept += entryBytes(this.keys[i], this.fragments[i]);
      }
      if (kept + added > PENDING_ROW_BYTES) throw rowTooLarge(kept + added, step);
      this.bytesBound = kept;
    }
    this.bytesBound += added;
  }

  /** Empties the row. New arrays: cheaper than emptying these (setting an array's length calls into V8's runtime). */
  clear(): void {
    this.keys = [];
    this.fragments = [];
    this.numbers = [];
    this.media = [];
    this.bytesBound = 0;
  }
}
