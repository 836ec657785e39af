import type { SweepConfig } from '../config/sweepConfig.js';
import { validateSweepConfig } from '../config/validateSweepConfig.js';
import { doneReason } from '../controller/nextTrial.js';
import type { SweepRecord, SweepSnapshot, TrialRecord, TrialState } from '../state/sweepRecords.js';
import { type ParameterStatistic, parameterStatistics } from './parameterStatistics.js';

/** A sweep as people read it: state, trials, the best one, and how each parameter relates to the metric. */
export interface SweepReport {
  sweep: SweepRecord;
  config: SweepConfig;
  /** The sweep's state, with 'finished' also when nothing is left to run (grid done, run_cap reached). */
  state: SweepRecord['state'];
  /** Why no more trials start, when none will. */
  doneReason?: string;
  trials: TrialRecord[];
  counts: Partial<Record<TrialState, number>>;
  /** The trial with the best metric value (finished or stopped). */
  best?: TrialRecord;
  /** Searched parameters (constants left out), in the config's order. */
  parameterKeys: string[];
  parameters: ParameterStatistic[];
}

export function sweepReport(snapshot: SweepSnapshot): SweepReport {
  const config = validateSweepConfig(snapshot.sweep.config);
  const trials = [...snapshot.trials].sort((a, b) => a.number - b.number);
  const counts: Partial<Record<TrialState, number>> = {};
  for (const trial of trials) counts[trial.state] = (counts[trial.state] ?? 0) + 1;
  const sign = config.metric?.goal === 'maximize' ? -1 : 1;
  const scored = trials.filter((t) => t.value !== undefined && (t.state === 'finished' || t.state === 'stopped'));
  const best = scored.reduce<TrialRecord | undefined>(
    (b, t) => (!b || sign * t.value! < sign * b.value! ? t : b),
    undefined,
  );
  const parameterKeys = config.parameters.filter((p) => p.distribution !== 'constant').map((p) => p.key);
  const done = doneReason(config, snapshot);
  let state = snapshot.sweep.state;
  if (done && state === 'running' && !trials.some((t) => t.state === 'running')) state = 'finished';
  return {
    sweep: snapshot.sweep,
    config,
    state,
    doneReason: done,
    trials,
    counts,
    best,
    parameterKeys,
    parameters: parameterStatistics(
      parameterKeys,
      trials.filter((t) => t.state === 'finished' && t.value !== undefined) as Array<TrialRecord & { value: number }>,
    ),
  };
}
