/** The distributions of wandb's sweep configuration (its `*_values` forms take bounds as values, not logs). */
export const DISTRIBUTIONS = [
  'constant',
  'categorical',
  'int_uniform',
  'uniform',
  'q_uniform',
  'log_uniform',
  'log_uniform_values',
  'q_log_uniform',
  'q_log_uniform_values',
  'inv_log_uniform',
  'inv_log_uniform_values',
  'normal',
  'q_normal',
  'log_normal',
  'q_log_normal',
] as const;

export type DistributionName = (typeof DISTRIBUTIONS)[number];

/** The bounded continuous distributions: min and max. */
export type RangeDistribution =
  | 'uniform'
  | 'log_uniform'
  | 'log_uniform_values'
  | 'inv_log_uniform'
  | 'inv_log_uniform_values';
/** Quantised bounded distributions: min, max and q. */
export type QuantisedRangeDistribution = 'q_uniform' | 'q_log_uniform' | 'q_log_uniform_values';
/** Normal families: mu and sigma (q for the quantised ones). */
export type NormalDistribution = 'normal' | 'log_normal';
export type QuantisedNormalDistribution = 'q_normal' | 'q_log_normal';

interface ParameterBase {
  /** Where the value goes in the trial's config: ['optimizer', 'lr'] for a nested parameter. */
  path: string[];
  /** The path joined with '.', the parameter's name in tables and errors. */
  key: string;
}

/** One searchable (or constant) parameter, validated and with wandb's defaults filled in. */
export type ParameterSpec = ParameterBase &
  (
    | { distribution: 'constant'; value: unknown }
    | { distribution: 'categorical'; values: unknown[]; probabilities?: number[] }
    | { distribution: 'int_uniform'; min: number; max: number }
    | { distribution: RangeDistribution; min: number; max: number }
    | { distribution: QuantisedRangeDistribution; min: number; max: number; q: number }
    | { distribution: NormalDistribution; mu: number; sigma: number }
    | { distribution: QuantisedNormalDistribution; mu: number; sigma: number; q: number }
  );
