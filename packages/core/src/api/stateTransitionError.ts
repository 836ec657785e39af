import { RunlogError } from '../errors/runlogError.js';

/** `updateState()` was asked for a transition the lifecycle does not allow. */
export class StateTransitionError extends RunlogError {
  constructor(message: string) {
    super('STATE_TRANSITION', message);
  }
}
