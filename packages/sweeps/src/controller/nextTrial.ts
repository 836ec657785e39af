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
  const done = doneReason(config, snapshot);
  if (done) return { kind: 'done', reason: done };
  const number = trials.length;
  switch (config.method) {
    case 'grid': {
      const grid = new Grid(config.parameters);
      const index = grid.nextFree(takenGridPoints(trials))!; // doneReason: a point is free
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

/** Grid points taken: a crashed trial's point is free again (the crash says nothing about its parameters). */
function takenGridPoints(trials: SweepSnapshot['trials']): Set<number> {
  return new Set(trials.filter((t) => t.state !== 'crashed' && t.gridIndex !== undefined).map((t) => t.gridIndex!));
}

/** Why the sweep starts no more trials (stopped, cancelled, run_cap, target, grid done), or undefined. */
export function doneReason(config: SweepConfig, snapshot: SweepSnapshot): string | undefined {
  const { sweep, trials } = snapshot;
  if (sweep.state === 'finished') return 'the sweep was stopped';
  if (sweep.state === 'canceled') return 'the sweep was cancelled';
  if (config.runCap !== undefined && countedTrials(trials) >= config.runCap) return `run_cap ${config.runCap} reached`;
  if (targetReached(config, trials)) return 'a trial reached metric.target';
  if (config.method === 'grid') {
    const grid = new Grid(config.parameters);
    if (grid.nextFree(takenGridPoints(trials)) === undefined)
      return `every one of the ${grid.size} grid points was run`;
  }
  return undefined;
}
