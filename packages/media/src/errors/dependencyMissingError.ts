import { RunlogError } from '@runlog/core';

/** A program or package that a media type needs (ffmpeg) could not be found anywhere runlog looked. */
export class DependencyMissingError extends RunlogError {
  constructor(message: string) {
    super('DEPENDENCY_MISSING', message);
  }
}
