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

/**
 * What each hook receives (plus `run`, added by the bus). Adapters fill what their framework knows; a custom
 * training loop calls `run.hooks.call(name, payload)` with the same shapes.
 */
export interface HookPayloads {
  /** `model`: the framework's own model object (a tfjs LayersModel...), for callbacks that save or run it. */
  setup: { stage: Stage; model?: unknown };
  fitStart: {
    epochs?: number;
    batchSize?: number;
    /** Training samples per epoch, when the framework knows them. */
    samples?: number;
    /** Batches per epoch, when the framework knows them. */
    stepsPerEpoch?: number;
    params?: Record<string, unknown>;
    model?: unknown;
  };
  trainStart: Record<string, never>;
  trainEpochStart: { epoch: number };
  trainBatchStart: { epoch: number; batch: number };
  /** Gradients by weight name, as the framework's own tensors; read them, never dispose them. */
  beforeOptimizerStep: { step: number; gradients: Record<string, unknown> };
  /** `samples`: the batch's sample count; `learningRate`: the optimizer's, when it is a number. */
  trainBatchEnd: { epoch: number; batch: number; logs: Logs; samples?: number; learningRate?: number };
  validationStart: { epoch: number };
  validationEnd: { epoch: number; logs: Logs };
  /** `samples`: the samples trained on in this epoch; `learningRate`: the optimizer's, when it is a number. */
  trainEpochEnd: { epoch: number; logs: Logs; samples?: number; learningRate?: number };
  saveCheckpoint: { epoch: number; artifact: string; aliases: string[]; metadata: Record<string, unknown> };
  trainEnd: { logs?: Logs };
  fitEnd: { logs?: Logs };
  predictStart: { name: string };
  predictBatchEnd: { name: string; call: number; latencyMs: number; batchSize?: number };
  predictEnd: { name: string; calls: number };
  exception: { error: unknown; stage: Stage };
  teardown: { stage: Stage };
}
