import type { MetricCurve } from '../hyperband/metricCurve.js';
import type { TrialContext } from './agentSession.js';
import { EarlyTermination } from './earlyTermination.js';

export interface SupervisorHooks {
  /** The trial's metric curve so far. */
  curve(): MetricCurve | Promise<MetricCurve>;
  /** Called once, with the reason, when the trial must stop (Hyperband, a cancelled sweep). */
  onStop(reason: string): void;
}

/**
 * Watches a running trial every `pollMs`: stops it when its sweep is cancelled or when Hyperband's rule says so.
 * Polls never overlap, and a failing poll (a busy disk) is retried at the next one.
 */
export class TrialSupervisor {
  readonly early: EarlyTermination;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private stopReason: string | undefined;

  constructor(
    private readonly context: TrialContext,
    private readonly hooks: SupervisorHooks,
  ) {
    this.early = new EarlyTermination(context.config, context.state, context.ref, context.store);
  }

  /** Why the trial was asked to stop, if it was. */
  get reason(): string | undefined {
    return this.stopReason;
  }

  async start(): Promise<void> {
    await this.early.refresh(this.context.trial.id).catch(() => {});
    this.timer = setInterval(() => void this.poll(), this.context.pollMs);
    this.timer.unref();
  }

  stop(reason: string): void {
    if (this.stopReason !== undefined) return;
    this.stopReason = reason;
    this.hooks.onStop(reason);
  }

  /** Judges a curve now (the in-process agent calls it as each value is logged). */
  judge(curve: MetricCurve): void {
    if (this.stopReason !== undefined) return;
    const stop = this.early.check(this.context.trial.id, curve);
    if (stop) this.stop(this.early.describe(stop));
  }

  close(): void {
    clearInterval(this.timer);
  }

  private async poll(): Promise<void> {
    if (this.polling || this.stopReason !== undefined) return;
    this.polling = true;
    try {
      const { sweep } = await this.context.state.snapshot(this.context.ref);
      if (sweep.state === 'canceled') this.stop('the sweep was cancelled');
      else if (this.early.enabled) {
        await this.early.refresh(this.context.trial.id);
        this.judge(await this.hooks.curve());
      }
    } catch {
      // the next poll tries again
    } finally {
      this.polling = false;
    }
  }
}
