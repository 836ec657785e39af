import type { SweepConfig } from '../config/sweepConfig.js';
import type { SearchTrial } from '../search/searchTrial.js';
import type { TrialRecord } from '../state/sweepRecords.js';

/**
 * The trials a search method learns from: finished ones with their best value, stopped ones with their last
 * value, running ones (TPE counts them as bad, see tpeSampler). Failed, killed and crashed trials say nothing
 * about their parameters' quality and are left out (Optuna leaves failed trials out too).
 */
export function searchTrials(trials: readonly TrialRecord[]): SearchTrial[] {
  const out: SearchTrial[] = [];
  for (const trial of trials) {
    if (trial.state === 'running') out.push({ number: trial.number, params: trial.params, status: 'running' });
    else if (trial.state === 'finished' && trial.value !== undefined)
      out.push({
        number: trial.number,
        params: trial.params,
        status: 'finished',
        value: trial.value,
        steps: trial.steps,
      });
    else if (trial.state === 'stopped' && trial.lastValue !== undefined)
      out.push({
        number: trial.number,
        params: trial.params,
        status: 'stopped',
        value: trial.lastValue,
        steps: trial.steps,
      });
  }
  return out;
}

/** Trials that count against run_cap: every trial but the crashed ones (documented choice, see the README). */
export function countedTrials(trials: readonly TrialRecord[]): number {
  return trials.filter((t) => t.state !== 'crashed').length;
}

/** True when a finished trial reached the metric's target. */
export function targetReached(config: SweepConfig, trials: readonly TrialRecord[]): boolean {
  const metric = config.metric;
  if (metric?.target === undefined) return false;
  return trials.some(
    (t) =>
      t.value !== undefined && (metric.goal === 'maximize' ? t.value >= metric.target! : t.value <= metric.target!),
  );
}
