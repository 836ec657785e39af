/**
 * Runs runlog's own work beside a user's call (a listener, a measurement, a logger's hook): whatever it throws,
 * or rejects with when it returns a promise, goes to `onError` (report it on the run, where it is counted) and
 * never reaches the caller, so the user's call always goes on. A promise result becomes one that resolves to
 * undefined instead of rejecting. OpenTelemetry's "safe execute": the user's call keeps its result and its error;
 * runlog's trouble stays runlog's.
 * @example
 * safeExecute(() => listener.gradients(grads, step), (error) => run.reportError(error, 'watch gradients'));
 */
export function safeExecute<T>(work: () => T, onError: (error: unknown) => void): T | undefined {
  let result: T;
  try {
    result = work();
  } catch (error) {
    reportSafely(onError, error);
    return undefined;
  }
  if (isPromise(result)) {
    return result.then(undefined, (error: unknown) => reportSafely(onError, error)) as T;
  }
  return result;
}

function reportSafely(onError: (error: unknown) => void, error: unknown): undefined {
  try {
    onError(error);
  } catch {
    // The reporter itself failed: nothing more can be done without hurting the caller.
  }
  return undefined;
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as Promise<unknown> | null)?.then === 'function';
}
