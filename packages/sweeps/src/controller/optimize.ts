import type { SweepConfig } from '../config/sweepConfig.js';
import { validateSweepConfig } from '../config/validateSweepConfig.js';
import type { FlatParams } from '../search/parameterValues.js';
import type { SweepSnapshot, TrialRecord } from '../state/sweepRecords.js';
import { nextTrial } from './nextTrial.js';

/**
 * Runs a sweep's search in memory against an objective function, without a store, runs or agents (Optuna's
 * `study.optimize`): each trial gets the controller's next parameters (by key, 'optimizer.lr') and the
 * objective's value is its metric. Stops after `trials` trials or when the search has no more (grid, run_cap).
 * @example
 * const trials = await optimize({ method: 'bayes', seed: 1, metric: { name: 'y' }, parameters: { x: { min: -5, max: 5 } } },
 *   (p) => (p.x as number) ** 2, { trials: 30 });
 */
export async function optimize(
  config: SweepConfig | Record<string, unknown>,
  objective: (params: FlatParams) => number | Promise<number>,
  options: { trials: number },
): Promise<TrialRecord[]> {
  const validated =
    'raw' in config && Array.isArray(config.parameters) ? (config as SweepConfig) : validateSweepConfig(config);
  const now = new Date().toISOString();
  const snapshot: SweepSnapshot = {
    sweep: {
      formatVersion: 1,
      id: 'in-memory',
      project: 'in-memory',
      state: 'running',
      config: validated.raw,
      seed: validated.seed ?? 0,
      createdAt: now,
      updatedAt: now,
    },
    trials: [],
    agents: [],
  };
  while (snapshot.trials.length < options.trials) {
    const next = nextTrial(validated, snapshot);
    if (next.kind !== 'trial') break;
    const value = await objective(next.params);
    snapshot.trials.push({
      id: `trial-${next.number}`,
      number: next.number,
      params: next.params,
      ...(next.gridIndex === undefined ? {} : { gridIndex: next.gridIndex }),
      state: 'finished',
      agentId: 'in-memory',
      createdAt: now,
      value,
      lastValue: value,
      steps: 1,
    });
  }
  return snapshot.trials;
}
