/**
 * The parts of an onnxruntime Tensor the adapter reads (`type`, `dims`, `data`): not @runlog/media's
 * `TensorLike`, which is a tfjs tensor (`dtype`, `shape`, `data()`). onnxruntime-node, onnxruntime-web and
 * onnxruntime-common tensors all have this shape.
 */
export interface OrtTensorLike {
  /** The element type: 'float32', 'int64', 'bool', 'string'... */
  readonly type: string;
  readonly dims: readonly number[];
  /** The elements; only readable when the tensor lives on the CPU. */
  readonly data?: unknown;
  /** 'cpu' (or 'cpu-pinned') when `data` can be read; GPU tensors are summarised by type and shape only. */
  readonly location?: string;
}

/** What `session.run` takes and returns: tensors by name. */
export type TensorMap = { readonly [name: string]: OrtTensorLike };

/** @deprecated The old name of `OrtTensorLike` (kept for 0.1 users; media's `TensorLike` is the tfjs one). */
export type TensorLike = OrtTensorLike;
