import type { HookPayloads } from './hookNames.js';
import type { RunLike } from './runLike.js';

/** The argument of every hook: the hook's payload plus the run it belongs to. */
export type HookEvent<K extends keyof HookPayloads> = HookPayloads[K] & { run: RunLike };

type MaybePromise = void | Promise<void>;

/**
 * Base class for lifecycle callbacks, Lightning-style: override the hooks you need, each receives one event
 * object. Every hook here is a documented no-op. Register with `run.hooks.addCallback(new MyCallback())`.
 * @example
 * class PrintEpochs extends Callback {
 *   override trainEpochEnd({ epoch, logs }: HookEvent<'trainEpochEnd'>) { console.log(epoch, logs.loss) }
 * }
 */
export class Callback {
  /** Before anything else of a stage (fit or predict). */
  setup(_event: HookEvent<'setup'>): MaybePromise {}
  /** Training is about to start (model.fit called). */
  fitStart(_event: HookEvent<'fitStart'>): MaybePromise {}
  /** The first training epoch is about to start. */
  trainStart(_event: HookEvent<'trainStart'>): MaybePromise {}
  /** A training epoch is about to start. */
  trainEpochStart(_event: HookEvent<'trainEpochStart'>): MaybePromise {}
  /** A training batch is about to start. */
  trainBatchStart(_event: HookEvent<'trainBatchStart'>): MaybePromise {}
  /** Gradients were computed and are about to be applied. */
  beforeOptimizerStep(_event: HookEvent<'beforeOptimizerStep'>): MaybePromise {}
  /** A training batch ended; `logs` holds its metrics. */
  trainBatchEnd(_event: HookEvent<'trainBatchEnd'>): MaybePromise {}
  /** Validation of an epoch is about to start. */
  validationStart(_event: HookEvent<'validationStart'>): MaybePromise {}
  /** Validation of an epoch ended; `logs` holds the val_ metrics. */
  validationEnd(_event: HookEvent<'validationEnd'>): MaybePromise {}
  /** A training epoch ended; `logs` holds its metrics, val_ metrics included. */
  trainEpochEnd(_event: HookEvent<'trainEpochEnd'>): MaybePromise {}
  /** A checkpoint was saved as an artifact version. */
  saveCheckpoint(_event: HookEvent<'saveCheckpoint'>): MaybePromise {}
  /** The last training epoch ended. */
  trainEnd(_event: HookEvent<'trainEnd'>): MaybePromise {}
  /** model.fit is about to return. */
  fitEnd(_event: HookEvent<'fitEnd'>): MaybePromise {}
  /** The first inference call of a watched session. */
  predictStart(_event: HookEvent<'predictStart'>): MaybePromise {}
  /** An inference call ended. */
  predictBatchEnd(_event: HookEvent<'predictBatchEnd'>): MaybePromise {}
  /** A watched session was unwatched (inference over). */
  predictEnd(_event: HookEvent<'predictEnd'>): MaybePromise {}
  /** Training or inference threw. */
  exception(_event: HookEvent<'exception'>): MaybePromise {}
  /** After everything of a stage, also after an exception. */
  teardown(_event: HookEvent<'teardown'>): MaybePromise {}
}
