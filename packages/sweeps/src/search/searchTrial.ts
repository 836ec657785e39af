import type { FlatParams } from './parameterValues.js';

/**
 * What a search method knows of a trial. `value` is the objective as the sweep's goal reads it (best value of the
 * metric for a finished trial, last value for a stopped one); `steps` counts the metric values logged.
 */
export interface SearchTrial {
  number: number;
  params: FlatParams;
  status: 'finished' | 'stopped' | 'running';
  value?: number;
  steps?: number;
}
