import { RunlogError } from '../errors/runlogError.js';
import { LIVE_STATES, type RunState } from '../run/runState.js';
import type { RunRef } from './runData.js';
import type { StoreAccess } from './storeAccess.js';
import type { StreamChunk, StreamName, StreamReadOptions } from './streamChunk.js';

/** Nothing more is appended to a run's streams once it is neither live nor waiting to start. */
const hasEndedState = (state: RunState) => state !== 'pending' && !LIVE_STATES.has(state);

export interface FollowOptions extends Pick<StreamReadOptions, 'offset' | 'last' | 'maxBytes' | 'keys'> {
  /** Pause after a round of reads that found nothing new (default 500 ms). */
  intervalMs?: number;
  /** Stops following (the generator then returns). */
  signal?: AbortSignal;
  /** Keep following after the run has ended (default false: stop once it ended and everything was read). */
  untilAborted?: boolean;
}

/** A chunk read while following, and the stream it came from. */
export interface FollowEvent<S extends StreamName = StreamName> {
  stream: S;
  chunk: StreamChunk<S>;
}

/**
 * Follows streams of a run as they grow (a live tail), over any StoreAccess: each stream is read from its
 * start position (`offset` or `last`), then from each chunk's `nextOffset`; a round that finds nothing waits
 * `intervalMs`. Only chunks that moved forward are yielded. Following ends when the run has ended (finished,
 * failed, crashed, killed; or was deleted) and its streams were read to their end, or when `signal` aborts.
 * A stream that shrank (its run was deleted and made again) is read again from its start.
 * @example
 * for await (const { stream, chunk } of followStreams(access, run, ['history', 'output'], { last: 10 })) ...
 */
export async function* followStreams<S extends StreamName>(
  access: StoreAccess,
  run: RunRef,
  streams: readonly S[],
  options: FollowOptions = {},
): AsyncGenerator<FollowEvent<S>> {
  const intervalMs = options.intervalMs ?? 500;
  const { signal, maxBytes, keys } = options;
  // The first read of each stream starts where the options say; later reads from where the last one stopped.
  const next = new Map<S, StreamReadOptions>(streams.map((s) => [s, { offset: options.offset, last: options.last }]));
  let ended = false;
  while (!signal?.aborted) {
    let behind = false;
    for (const stream of streams) {
      const from = next.get(stream)!;
      const chunk = await readOrEnd(access, run, stream, { ...from, maxBytes, keys });
      if (!chunk) return; // the run was deleted under us
      if (from.offset !== undefined && from.offset > chunk.size) {
        next.set(stream, { offset: 0 }); // the stream shrank: it was replaced
        behind = true;
        continue;
      }
      next.set(stream, { offset: chunk.nextOffset });
      if (chunk.nextOffset === chunk.offset) continue; // nothing new, or only a line still being written
      if (chunk.nextOffset < chunk.size) behind = true; // more than one chunk was appended
      yield { stream, chunk };
      if (signal?.aborted) return;
    }
    if (behind) continue;
    if (ended) return;
    if (!options.untilAborted && (await hasEnded(access, run))) {
      ended = true; // one more round reads what was written before the run ended
      continue;
    }
    await pause(intervalMs, signal);
  }
}

/** followStreams for one stream, yielding its chunks. */
export async function* followStream<S extends StreamName>(
  access: StoreAccess,
  run: RunRef,
  stream: S,
  options: FollowOptions = {},
): AsyncGenerator<StreamChunk<S>> {
  for await (const event of followStreams(access, run, [stream], options)) yield event.chunk;
}

/** A chunk, or undefined when the run no longer exists. */
async function readOrEnd<S extends StreamName>(
  access: StoreAccess,
  run: RunRef,
  stream: S,
  options: StreamReadOptions,
): Promise<StreamChunk<S> | undefined> {
  try {
    return await access.readStream(run, stream, options);
  } catch (error) {
    if (error instanceof RunlogError && error.code === 'RUN_NOT_FOUND') return undefined;
    throw error;
  }
}

async function hasEnded(access: StoreAccess, run: RunRef): Promise<boolean> {
  try {
    return hasEndedState((await access.readRun(run)).state);
  } catch (error) {
    if (error instanceof RunlogError && error.code === 'RUN_NOT_FOUND') return true; // deleted under us
    throw error;
  }
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((done) => {
    if (signal?.aborted) return done();
    const timer = setTimeout(finish, ms);
    function finish() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', finish);
      done();
    }
    signal?.addEventListener('abort', finish, { once: true });
  });
}
