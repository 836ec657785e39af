import { RunlogError } from '@runlog/core';

/** Encoding a media value failed in the background (sharp or ffmpeg refused the data, a file vanished...). */
export class MediaEncodeError extends RunlogError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('MEDIA_ENCODE', message, options);
  }
}
