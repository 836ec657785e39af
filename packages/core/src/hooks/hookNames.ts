/**
 * The training and inference lifecycle, in the order Lightning calls its callbacks. The tfjs adapter emits
 * the fit and training hooks, the onnx adapter the predict hooks; a Callback written against core works in both.
 */
export const HOOK_NAMES = [
  'setup',
  'fitStart',
  'trainStart',
  'trainEpochStart',
  'trainBatchStart',
  'beforeOptimizerStep',
  'trainBatchEnd',
  'validationStart',
  'validationEnd',
  'trainEpochEnd',
  'saveCheckpoint',
  'trainEnd',
  'fitEnd',
  'predictStart',
  'predictBatchEnd',
  'predictEnd',
  'exception',
  'teardown',
] as const;

export type HookName = (typeof HOOK_NAMES)[number];

export type Stage = 'fit' | 'predict';
type Logs = Record<string, number>;

/** What each hook receives (plus `run`, added by the bus). Adapters fill what their framework knows. */
export interface HookPayloads {
  setup: { stage: Stage };
  fitStart: { epochs?: number; batchSize?: number; samples?: number; params?: Record<string, unknown> };
  trainStart: Record<string, never>;
  trainEpochStart: { epoch: number };
  trainBatchStart: { epoch: number; batch: number };
  /** Gradients by weight name, as the framework's own tensors; read them, never dispose them. */
  beforeOptimizerStep: { step: number; gradients: Record<string, unknown> };
  trainBatchEnd: { epoch: number; batch: number; logs: Logs };
  validationStart: { epoch: number };
  validationEnd: { epoch: number; logs: Logs };
  trainEpochEnd: { epoch: number; logs: Logs };
  saveCheckpoint: { epoch: number; artifact: string; aliases: string[]; metadata: Record<string, unknown> };
  trainEnd: { logs?: Logs };
  fitEnd: { logs?: Logs };
  predictStart: { name: string };
  predictBatchEnd: { name: string; call: number; latencyMs: number; batchSize?: number };
  predictEnd: { name: string; calls: number };
  exception: { error: unknown; stage: Stage };
  teardown: { stage: Stage };
}
