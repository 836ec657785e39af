import type { MediaRef, MediaWriteContext } from '@runlog/core';
import { MediaInvalidError } from './errors/mediaInvalidError.js';
import { Media } from './media.js';

/**
 * An HTML document or fragment, written as a `.html` file.
 * @example
 * run.log({ report: new Html('<h1>Epoch 3</h1><p>val/acc 0.91</p>') });
 */
export class Html extends Media {
  readonly mediaKind = 'html';
  readonly html: string;

  constructor(html: string) {
    super();
    if (typeof html !== 'string') throw new MediaInvalidError(`Html: expected a string, got ${typeof html}`);
    this.html = html;
  }

  async toMediaRef(context: MediaWriteContext): Promise<MediaRef> {
    const file = await context.writeMediaFile('html', 'html', new TextEncoder().encode(this.html));
    return { _type: 'html-file', ...file };
  }
}
