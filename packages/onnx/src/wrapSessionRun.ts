import type { SessionRun } from './inferenceSessionLike.js';
import type { TensorMap } from './ortTensorLike.js';
import type { SessionWatcher } from './sessionWatcher.js';

/**
 * The wrapper of `session.run` (installed by @runlog/media's `wrapMethod`, which tags it with the original) that
 * lets `watcher` measure every call, OpenTelemetry-style: it calls the original with the same receiver and
 * arguments, then returns the same outputs or rethrows the same error (a synchronous throw stays synchronous).
 * Once the watcher is inactive it only passes calls through. Written out by hand rather than with a generic
 * "execute in the middle" helper: the hot path allocates no closure per call.
 */
export function wrapSessionRun(original: SessionRun, watcher: SessionWatcher): SessionRun {
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
  return wrapper;
}
