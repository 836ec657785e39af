/**
 * A limit on the sharp encodes in flight. sharp runs on libuv's thread pool (4 threads unless UV_THREADPOOL_SIZE
 * says otherwise), which file writes share: with every encode of a burst queued at once, each write of a finished
 * image waits behind all the remaining encodes. Letting only a pool's worth of encodes queue keeps writes
 * flowing between encodes at no cost to encoding throughput.
 */
export class EncodeSlots {
  #active = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  async run<T>(encode: () => Promise<T>): Promise<T> {
    if (this.#active < this.limit) this.#active++;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve)); // the slot is handed over on release
    try {
      return await encode();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#active--;
    }
  }
}

/** The slots every sharp encode of this package goes through. */
export const sharpSlots = new EncodeSlots(Math.max(2, Number(process.env.UV_THREADPOOL_SIZE) || 4));
