import type { MediaRef } from '@runlog/core';
import { MediaInvalidError } from './errors/mediaInvalidError.js';
import { Media } from './media.js';

/**
 * A piece of text kept inline in history (a table cell, a generated sample), shown as text rather than a value.
 * @example
 * run.log({ sample: new Text(decoded) });
 */
export class Text extends Media {
  readonly mediaKind = 'text';
  readonly text: string;

  constructor(text: string) {
    super();
    if (typeof text !== 'string') throw new MediaInvalidError(`Text: expected a string, got ${typeof text}`);
    this.text = text;
  }

  async toMediaRef(): Promise<MediaRef> {
    return { _type: 'text', text: this.text };
  }
}
