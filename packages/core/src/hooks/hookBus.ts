import { EventEmitter } from 'eventemitter3';
import { Callback, type HookEvent } from './callback.js';
import { HOOK_NAMES, type HookName, type HookPayloads } from './hookNames.js';
import type { RunLike } from './runLike.js';

export type HookHandler<K extends HookName> = (event: HookEvent<K>) => void | Promise<void>;
/**
 * Anything with some of the hook methods: a `Callback` subclass, or a class that must extend something else (a
 * framework's own callback class) and implements the hooks it needs.
 */
export type CallbackLike = { [K in HookName]?: HookHandler<K> };

/**
 * Dispatches lifecycle hooks to handlers and Callback objects, in registration order.
 * `call` is synchronous until a handler returns a promise; from there it chains the remaining handlers and
 * returns a promise. A handler's error is never swallowed: it propagates to the caller of `call`.
 */
export class HookBus {
  private readonly emitter = new EventEmitter();

  constructor(private readonly run: RunLike) {}

  /** Adds a handler for one hook; returns the function that removes it. */
  hook<K extends HookName>(name: K, handler: HookHandler<K>): () => void {
    this.emitter.on(name, handler);
    return () => this.emitter.off(name, handler);
  }

  /** Registers every hook method `callback` overrides; returns the function that removes them all. */
  addCallback(callback: CallbackLike | object): () => void {
    const removers: Array<() => void> = [];
    for (const name of HOOK_NAMES) {
      const method = (callback as CallbackLike)[name] as HookHandler<HookName> | undefined;
      // A Callback subclass inherits no-op hooks from the base: those are not worth dispatching to.
      if (typeof method === 'function' && method !== Callback.prototype[name]) {
        removers.push(this.hook(name, (event) => method.call(callback, event)));
      }
    }
    return () => {
      for (const remove of removers) remove();
    };
  }

  /** True when anything listens to `name`: adapters skip building payloads nobody reads. */
  has(name: HookName): boolean {
    return this.emitter.listenerCount(name) > 0;
  }

  /** Calls every handler of `name` with the payload plus `run`. */
  call<K extends HookName>(name: K, payload: HookPayloads[K]): void | Promise<void> {
    const handlers = this.emitter.listeners(name) as Array<HookHandler<K>>; // a copy: handlers may unsubscribe
    if (handlers.length === 0) return;
    const event = { ...payload, run: this.run } as HookEvent<K>;
    for (let i = 0; i < handlers.length; i++) {
      const result = handlers[i](event);
      if (result && typeof (result as Promise<void>).then === 'function') {
        return chainRest(result as Promise<void>, handlers, i + 1, event);
      }
    }
  }
}

async function chainRest<K extends HookName>(
  pending: Promise<void>,
  handlers: Array<HookHandler<K>>,
  from: number,
  event: HookEvent<K>,
): Promise<void> {
  await pending;
  for (let i = from; i < handlers.length; i++) await handlers[i](event);
}
