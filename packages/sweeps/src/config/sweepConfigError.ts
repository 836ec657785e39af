import { RunlogError } from '@runlog/core';

/**
 * A sweep configuration runlog cannot run, found before anything runs. `field` names the offending field as a
 * path into the config (`parameters.lr.min`, `early_terminate.eta`).
 */
export class SweepConfigError extends RunlogError {
  readonly field: string;

  constructor(field: string, problem: string) {
    super('SWEEP_CONFIG_INVALID', `sweep config: ${field}: ${problem}`);
    this.field = field;
  }
}
