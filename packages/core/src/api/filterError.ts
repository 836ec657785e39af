import { RunlogError } from '../errors/runlogError.js';

/** A runs filter or sort order that cannot be understood; the message names the part at fault. */
export class FilterError extends RunlogError {
  constructor(message: string) {
    super('FILTER_INVALID', message);
  }
}
