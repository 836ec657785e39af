import type { SweepConfig } from '../config/sweepConfig.js';
import { Grid } from '../search/gridSearch.js';
import type { FlatParams } from '../search/parameterValues.js';
import { randomParams } from '../search/randomSearch.js';
import { suggestTpe } from '../search/tpeSampler.js';
import type { SweepSnapshot } from '../state/sweepRecords.js';
import { countedTrials, searchTrials, targetReached } from './searchTrials.js';

/** What an agent asking for work gets: a trial to run, a reason to wait (paused), or the end of the sweep. */
export type NextTrial =
  | { kind: 'trial'; number: number; params: FlatParams; gridIndex?: number }
  | { kind: 'wait'; reason: string }
  | { kind: 'done'; reason: string };

/**
 * The sweep's controller as a pure function of its state: any backend (the local store under its lock, a server
 * in a transaction) calls it while it holds the sweep, so every claim sees every earlier one.
 */
export function nextTrial(config: SweepConfig, snapshot: SweepSnapshot): NextTrial {
  const { sweep, trials } = snapshot;
  if (sweep.state === 'paused') return { kind: 'wait', reason: 'the sweep is paused' };
  if (sweep.state === 'finished') return { kind: 'done', reason: 'the sweep was stopped' };
  if (sweep.state === 'canceled') return { kind: 'done', reason: 'the sweep was cancelled' };
  if (config.runCap !== undefined && countedTrials(trials) >= config.runCap)
    return { kind: 'done', reason: `run_cap ${config.runCap} reached` };
  if (targetReached(config, trials)) return { kind: 'done', reason: 'a trial reached metric.target' };
  const number = trials.length;
  switch (config.method) {
    case 'grid': {
      const grid = new Grid(config.parameters);
      // A crashed trial's point is free again: the crash says nothing about its parameters.
      const taken = new Set(
        trials.filter((t) => t.state !== 'crashed' && t.gridIndex !== undefined).map((t) => t.gridIndex!),
      );
      const index = grid.nextFree(taken);
      if (index === undefined) return { kind: 'done', reason: `every one of the ${grid.size} grid points was run` };
      return { kind: 'trial', number, params: grid.point(index), gridIndex: index };
    }
    case 'random':
      return { kind: 'trial', number, params: randomParams(config.parameters, sweep.seed, number) };
    case 'bayes':
      return {
        kind: 'trial',
        number,
        params: suggestTpe(config.parameters, config.metric!.goal, searchTrials(trials), {
          seed: sweep.seed,
          trialNumber: number,
        }),
      };
  }
}
