import { RunlogError } from '@runlog/core/browser';

/** A media value was given input it cannot represent. Thrown by the constructor, before anything is logged. */
export class MediaInvalidError extends RunlogError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('MEDIA_INVALID', message, options);
  }
}
