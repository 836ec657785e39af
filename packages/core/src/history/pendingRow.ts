import type { RowKey } from './historyWriter.js';
import type { PendingMedia } from './mediaMembers.js';

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

  /** Empties the row. New arrays: cheaper than emptying these (setting an array's length calls into V8's runtime). */
  clear(): void {
    this.keys = [];
    this.fragments = [];
    this.numbers = [];
    this.media = [];
  }
}
