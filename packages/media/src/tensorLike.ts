/** The numeric arrays a tensor's `data()` can resolve to. */
export type TensorData = Float32Array | Int32Array | Uint8Array | Uint8ClampedArray | Float64Array | Int16Array;

/**
 * A tfjs tensor, duck-typed so @runlog/media never imports tfjs: any backend (cpu, wasm, webgl, node) works.
 * Chained ops (`min`, `where`, `unsortedSegmentSum`...) are used when present. The one tensor type of the
 * adapters: @runlog/tfjs hands its tensors to media's histogram and images through it.
 */
export interface TensorLike {
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly size?: number;
  data?(): Promise<TensorData | ArrayLike<unknown>>;
  dataSync?(): TensorData | ArrayLike<unknown>;
  clone?(): TensorLike;
  dispose?(): void;
  readonly isDisposed?: boolean;
}

export const NUMERIC_TENSOR_DTYPES = ['float32', 'int32', 'bool'] as const;

/** True for an object that looks like a tfjs tensor: a shape array, a dtype and a way to read its data. */
export function isTensorLike(value: unknown): value is TensorLike {
  if (typeof value !== 'object' || value === null) return false;
  const tensor = value as Partial<TensorLike>;
  return (
    Array.isArray(tensor.shape) &&
    typeof tensor.dtype === 'string' &&
    (typeof tensor.data === 'function' || typeof tensor.dataSync === 'function')
  );
}

/**
 * Keeps a tensor readable after the caller disposes it (a tfjs clone shares the data and only bumps a reference
 * count). Returns the tensor itself when it cannot be cloned.
 */
export function retainTensor(tensor: TensorLike): TensorLike {
  return typeof tensor.clone === 'function' ? tensor.clone() : tensor;
}

/** Disposes a tensor obtained from `retainTensor` (never the caller's own tensor). */
export function releaseTensor(retained: TensorLike, original: TensorLike): void {
  if (retained !== original && typeof retained.dispose === 'function') retained.dispose();
}

/** Downloads a tensor's values, without blocking when the backend can do it asynchronously. */
export async function readTensor(tensor: TensorLike): Promise<ArrayLike<number>> {
  const data = typeof tensor.data === 'function' ? await tensor.data() : tensor.dataSync!();
  return data as ArrayLike<number>;
}

/** Downloads a tensor's values now: for tensors that are gone once the caller returns (gradients). */
export function readTensorSync(tensor: TensorLike): ArrayLike<number> {
  if (typeof tensor.dataSync !== 'function') {
    throw new TypeError('this tensor has no dataSync(): it cannot be read synchronously');
  }
  return tensor.dataSync() as ArrayLike<number>;
}

export function tensorSize(shape: readonly number[]): number {
  let size = 1;
  for (const dim of shape) size *= dim;
  return size;
}
