import type { SessionRun } from './inferenceSessionLike.js';
import type { SessionWatcher } from './sessionWatcher.js';
import type { TensorMap } from './tensorLike.js';

const ORIGINAL = Symbol.for('runlog.onnx.original');

/** A wrapper made by `wrapSessionRun`, tagged with the function it wraps. */
export type WrappedRun = SessionRun & { readonly [ORIGINAL]: SessionRun };

/**
 * Wraps `session.run` so that `watcher` measures every call, OpenTelemetry-style: the wrapper calls the original
 * with the same receiver and arguments, then returns the same outputs or rethrows the same error (a synchronous
 * throw stays synchronous). Once the watcher is inactive the wrapper only passes calls through.
 */
export function wrapSessionRun(original: SessionRun, watcher: SessionWatcher): WrappedRun {
  // Made once per wrapper: the rejection path needs nothing of the call, so it allocates no closure per call.
  const onRejected = (error: unknown): Promise<never> => {
    const hooked = watcher.recordError(error);
    if (hooked) return hooked.then(() => Promise.reject(error));
    throw error;
  };
  const wrapper = function runWatched(this: unknown, feeds: TensorMap): Promise<TensorMap> {
    // The usual call has only feeds: call it directly; otherwise pass every argument through as given
    // (reading arguments.length does not build the arguments object).
    // biome-ignore lint/complexity/noArguments: see above
    const passThrough = arguments.length === 1 ? undefined : arguments;
    if (!watcher.active) return passThrough ? Reflect.apply(original, this, passThrough) : original.call(this, feeds);
    const start = performance.now();
    let pending: Promise<TensorMap>;
    try {
      pending = passThrough ? Reflect.apply(original, this, passThrough) : original.call(this, feeds);
    } catch (error) {
      watcher.recordError(error);
      throw error;
    }
    return pending.then((outputs) => watcher.recordSuccess(start, feeds, outputs), onRejected);
  };
  return Object.defineProperty(wrapper, ORIGINAL, { value: original }) as WrappedRun;
}

/** The function a wrapper wraps, or undefined when `fn` is not one of ours. */
export function originalOf(fn: unknown): SessionRun | undefined {
  return typeof fn === 'function' ? (fn as Partial<WrappedRun>)[ORIGINAL] : undefined;
}
