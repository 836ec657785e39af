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
  const wrapper = function runWatched(this: unknown, feeds: TensorMap): Promise<TensorMap> {
    // `arguments` passes fetches and run options through without building a rest array on every call.
    // biome-ignore lint/complexity/noArguments: see above
    const args = arguments;
    if (!watcher.active) return Reflect.apply(original, this, args);
    const start = performance.now();
    let pending: Promise<TensorMap>;
    try {
      pending = Reflect.apply(original, this, args);
    } catch (error) {
      watcher.recordError(error);
      throw error;
    }
    return pending.then(
      (outputs) => watcher.recordSuccess(start, feeds, outputs),
      (error: unknown) => {
        const hooked = watcher.recordError(error);
        if (hooked) return hooked.then(() => Promise.reject(error));
        throw error;
      },
    );
  };
  return Object.defineProperty(wrapper, ORIGINAL, { value: original }) as WrappedRun;
}

/** The function a wrapper wraps, or undefined when `fn` is not one of ours. */
export function originalOf(fn: unknown): SessionRun | undefined {
  return typeof fn === 'function' ? (fn as Partial<WrappedRun>)[ORIGINAL] : undefined;
}
