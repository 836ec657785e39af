import type { TensorMap } from './ortTensorLike.js';

/**
 * What `watch` needs of a session: an `InferenceSession` of onnxruntime-node, onnxruntime-web or
 * onnxruntime-common. `inputNames` tells which feed carries the batch dimension.
 */
export interface InferenceSessionLike {
  run(feeds: TensorMap, ...rest: never[]): Promise<TensorMap>;
  readonly inputNames?: readonly string[];
}

/** `session.run` as the wrapper sees it: any receiver, the feeds, then whatever else the runtime accepts. */
export type SessionRun = (this: unknown, feeds: TensorMap, ...rest: unknown[]) => Promise<TensorMap>;
