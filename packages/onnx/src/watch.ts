import { InvalidValueError, type Run, RunlogError } from '@runlog/core';
import { isWrapped, resolveRun, type WrapHandle, wrapMethod } from '@runlog/media';
import type { InferenceSessionLike, SessionRun } from './inferenceSessionLike.js';
import { SessionWatcher } from './sessionWatcher.js';
import { wrapSessionRun } from './wrapSessionRun.js';

export interface WatchOptions {
  /** The run to log to; default the current run (`getRun()`). */
  run?: Run;
  /** Log a row every this many successful calls. Default 100. */
  logFreq?: number;
  /** Summarise input tensors (all, none, or these names). Default true. */
  logInputs?: boolean | readonly string[];
  /** Summarise output tensors (all, none, or these names). Default true. */
  logOutputs?: boolean | readonly string[];
  /** Add a 64-bin histogram of each summarised tensor. Default false. */
  histograms?: boolean;
  /**
   * Which calls the tensor summaries cover: 'sampled' (default) the call that completes each logFreq window,
   * the cheap choice; 'all' every call of the window (min, max, mean and NaN count over all of them).
   */
  tensorStats?: 'sampled' | 'all';
  /** Names the session in hook payloads and puts its keys under `inference/<name>/` instead of `inference/`. */
  name?: string;
}

interface WatchEntry {
  watcher: SessionWatcher;
  handle: WrapHandle<SessionRun>;
}

const watched = new WeakMap<object, WatchEntry>();

/**
 * Logs the inference of `session` to a run: every call's latency, and every `logFreq` calls the window's
 * latency percentiles (`inference/latency_ms/p50`...), calls/s, items/s and a summary of each input and output
 * tensor. The summary keeps overall latency percentiles and counts. Outputs and errors are unchanged.
 * Emits the predict hooks (setup, predictStart, predictBatchEnd, predictEnd, teardown; exception on errors).
 * @example
 * const session = watch(await InferenceSession.create('model.onnx'), { run });
 * await session.run({ x });  // measured
 * unwatch(session);         // session.run is the original again
 */
export function watch<S extends InferenceSessionLike>(session: S, options: WatchOptions = {}): S {
  if (typeof session !== 'object' || session === null || typeof session.run !== 'function') {
    throw new InvalidValueError('watch() needs an InferenceSession (an object with a run method)', 'INVALID_ARGUMENT');
  }
  if (watched.has(session) || isWrapped(session.run)) {
    throw new RunlogError(
      'ALREADY_WATCHED',
      'this session is already watched: call unwatch(session) before watching it again',
    );
  }
  const { logFreq = 100, logInputs = true, logOutputs = true, histograms = false, tensorStats = 'sampled' } = options;
  if (!Number.isInteger(logFreq) || logFreq < 1 || logFreq > 1_000_000) {
    throw new InvalidValueError(`logFreq must be an integer from 1 to 1000000, got ${logFreq}`, 'INVALID_ARGUMENT');
  }
  if (tensorStats !== 'sampled' && tensorStats !== 'all') {
    throw new InvalidValueError(
      `tensorStats must be 'sampled' or 'all', got ${String(tensorStats)}`,
      'INVALID_ARGUMENT',
    );
  }
  for (const [option, value] of [
    ['logInputs', logInputs],
    ['logOutputs', logOutputs],
  ] as const) {
    if (typeof value !== 'boolean' && !(Array.isArray(value) && value.every((n) => typeof n === 'string'))) {
      throw new InvalidValueError(`${option} must be true, false or an array of tensor names`, 'INVALID_ARGUMENT');
    }
  }
  if (options.name !== undefined && (typeof options.name !== 'string' || options.name.trim() === '')) {
    throw new InvalidValueError('name must be a non-empty string', 'INVALID_ARGUMENT');
  }
  const run = resolveRun(options.run, 'watch()');
  const watcher = new SessionWatcher(
    {
      run,
      name: options.name ?? 'session',
      prefix: options.name ? `inference/${options.name}` : 'inference',
      logFreq,
      logInputs,
      logOutputs,
      histograms,
      tensorStats,
    },
    session.inputNames?.[0],
  );
  let handle: WrapHandle<SessionRun>;
  try {
    // The session's `run` as the wrapper sees it: any receiver, the feeds, whatever else the runtime accepts.
    const target = session as unknown as { run: SessionRun };
    handle = wrapMethod(target, 'run', (original) => wrapSessionRun(original, watcher));
  } catch (cause) {
    throw new RunlogError('INVALID_ARGUMENT', 'watch() cannot replace run on this session (is it frozen?)', { cause });
  }
  watched.set(session, { watcher, handle });
  return session;
}

/**
 * Stops watching: restores the original `session.run` (the same function as before `watch`) if the wrapper is
 * still in place, logs the calls of an unfinished window, writes the summary and emits predictEnd and teardown.
 * Returns a promise only when a hook does. Unwatching a session that is not watched does nothing.
 */
export function unwatch(session: InferenceSessionLike): void | Promise<void> {
  const entry = watched.get(session);
  if (!entry) return;
  watched.delete(session);
  // If someone wrapped our wrapper, theirs stays in place and ours only passes calls through (watcher inactive).
  entry.handle.unwrap();
  return entry.watcher.finish();
}

/** True while `session` is watched. */
export function isWatched(session: InferenceSessionLike): boolean {
  return watched.has(session);
}
