import type { SweepConfig } from '../config/sweepConfig.js';
import { type HyperbandStop, type HyperbandTrial, hyperbandStops } from '../hyperband/hyperbandRule.js';
import { curveFromBands, curveOf, type MetricCurve } from '../hyperband/metricCurve.js';
import type { SweepRef, SweepState } from '../state/sweepState.js';
import { MetricReader } from './metricReader.js';

/**
 * Hyperband for one agent's trial: keeps the curves of the sweep's other trials (ended ones from the values
 * they kept at the brackets, running ones read from their runs) and applies wandb's rule to this trial's curve.
 * `check` is synchronous so an in-process trial can be judged as each value is logged.
 */
export class EarlyTermination {
  private others: HyperbandTrial[] = [];
  private readonly readers = new Map<string, MetricReader>();

  constructor(
    private readonly config: SweepConfig,
    private readonly state: SweepState,
    private readonly ref: SweepRef,
    /** The local store, to read the runs of other agents' running trials. */
    private readonly store: string | undefined,
  ) {}

  get enabled(): boolean {
    return this.config.earlyTerminate !== undefined && this.config.metric !== undefined;
  }

  /** Reloads the other trials' curves (an agent calls it every poll). */
  async refresh(selfId: string): Promise<void> {
    if (!this.enabled) return;
    const { trials } = await this.state.snapshot(this.ref);
    const metric = this.config.metric!;
    const others: HyperbandTrial[] = [];
    for (const trial of trials) {
      if (trial.id === selfId) continue;
      if (trial.state !== 'running') {
        if (trial.steps && trial.bandValues) {
          const best =
            trial.value === undefined
              ? Number.POSITIVE_INFINITY
              : metric.goal === 'maximize'
                ? -trial.value
                : trial.value;
          others.push({ id: trial.id, running: false, curve: curveFromBands(trial.steps, best, trial.bandValues) });
        }
        continue;
      }
      if (!this.store) continue;
      let reader = this.readers.get(trial.id);
      if (!reader) {
        reader = new MetricReader(this.store, `${this.ref.project}/${trial.id}`, metric.name);
        this.readers.set(trial.id, reader);
      }
      others.push({ id: trial.id, running: true, curve: curveOf(await reader.refresh(), metric.goal) });
    }
    this.others = others;
  }

  /** wandb's decision for this trial given its curve so far; undefined while it may go on. */
  check(selfId: string, curve: MetricCurve): HyperbandStop | undefined {
    if (!this.enabled) return undefined;
    const trials = [...this.others, { id: selfId, running: true, curve }];
    return hyperbandStops(trials, this.config.earlyTerminate!).find((stop) => stop.id === selfId);
  }

  /** The reason written into the trial's record. */
  describe(stop: HyperbandStop): string {
    const sign = this.config.metric?.goal === 'maximize' ? -1 : 1;
    const name = this.config.metric?.name;
    return `hyperband: ${name} ${sign * stop.value} at iteration ${stop.band} is worse than the bracket's threshold ${sign * stop.threshold}`;
  }
}
