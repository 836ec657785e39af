import type { ParameterSpec } from './parameterSpec.js';

export type SearchMethod = 'grid' | 'random' | 'bayes';
export type Goal = 'minimize' | 'maximize';

export interface SweepMetric {
  name: string;
  goal: Goal;
  /** The sweep finishes once a trial reaches this value. */
  target?: number;
}

/** Hyperband early termination: brackets from min_iter and eta, or from max_iter, s and eta (wandb's rule). */
export interface HyperbandConfig {
  type: 'hyperband';
  minIter?: number;
  maxIter?: number;
  s?: number;
  /** Default 3. */
  eta: number;
  /** wandb's default: compare the metric at the bracket (true) rather than the best so far (false). */
  strict: boolean;
}

/**
 * A sweep configuration, validated and normalised (camelCase). `raw` keeps the document as written, as wandb's
 * YAML/JSON (snake_case), for display and for the store.
 */
export interface SweepConfig {
  method: SearchMethod;
  metric?: SweepMetric;
  /** Every parameter, nested ones flattened, sorted by key (wandb's order; grid points follow it). */
  parameters: ParameterSpec[];
  earlyTerminate?: HyperbandConfig;
  runCap?: number;
  program?: string;
  command?: string[];
  name?: string;
  description?: string;
  project?: string;
  /** runlog's addition: the seed of random and bayes search (chosen at creation when absent). */
  seed?: number;
  raw: Record<string, unknown>;
}
