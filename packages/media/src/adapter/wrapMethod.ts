// biome-ignore lint/suspicious/noExplicitAny: the widest function type, so any method can be wrapped
type AnyFunction = (...args: any[]) => any;

/** The tag on every wrapper runlog installs: the function it wraps (OpenTelemetry's `__original` convention). */
const ORIGINAL: unique symbol = Symbol.for('runlog.wrapped-original') as never;

/** A wrapper made by `wrapMethod`, tagged with the function it wraps. */
export type Wrapped<F extends AnyFunction> = F & { readonly [ORIGINAL]: F };

/** The keys of `T` that hold functions. */
export type MethodName<T> = { [K in keyof T]-?: T[K] extends AnyFunction ? K : never }[keyof T];

/** One installed wrapper: what it wraps, and the function that takes it out again. */
export interface WrapHandle<F extends AnyFunction> {
  readonly original: F;
  readonly wrapper: Wrapped<F>;
  /**
   * Restores the method as it was (an own property put back exactly, an inherited one uncovered again), but only
   * while this wrapper is still the one in place: if someone wrapped on top, theirs is left alone and ours stays
   * below it (make the wrapper pass calls through once it has nothing to do). Returns whether it restored; a
   * second call does nothing.
   */
  unwrap(): boolean;
}

/** Live handles by target and method name: wrapping the same method twice gives one wrapper. */
const installed = new WeakMap<object, Map<PropertyKey, WrapHandle<AnyFunction>>>();

/**
 * Replaces `target[name]` with `makeWrapper(original)`, OpenTelemetry-style: the wrapper is tagged with the
 * original (`isWrapped`, `originalOf`), the method keeps its own-or-inherited status for `unwrap`, and wrapping a
 * method runlog has already wrapped returns the handle in place instead of wrapping twice (makeWrapper is not
 * called). A target whose method cannot be replaced (a frozen object) makes it throw the engine's TypeError.
 * @example
 * const handle = wrapMethod(optimizer, 'applyGradients', (original) => function (this: Optimizer, grads) {
 *   return original.call(this, grads);
 * });
 * handle.unwrap(); // optimizer.applyGradients is the prototype's again
 */
export function wrapMethod<T extends object, K extends MethodName<T>>(
  target: T,
  name: K,
  makeWrapper: (original: T[K] & AnyFunction) => T[K] & AnyFunction,
): WrapHandle<T[K] & AnyFunction> {
  type F = T[K] & AnyFunction;
  let byName = installed.get(target);
  const current = byName?.get(name) as WrapHandle<F> | undefined;
  if (current && target[name] === current.wrapper) return current;
  const original = target[name] as F;
  const ownDescriptor = Object.getOwnPropertyDescriptor(target, name);
  const made = makeWrapper(original);
  if (made === original || isWrapped(made)) throw new TypeError(`wrapMethod(${String(name)}): return a new function`);
  const wrapper = Object.defineProperty(made, ORIGINAL, { value: original }) as Wrapped<F>;
  Object.defineProperty(target, name, {
    value: wrapper,
    writable: true,
    configurable: true,
    enumerable: ownDescriptor?.enumerable ?? false,
  });
  let removed = false;
  const handle: WrapHandle<F> = {
    original,
    wrapper,
    unwrap() {
      if (removed) return false;
      removed = true;
      if (byName?.get(name) === handle) byName.delete(name);
      if (target[name] !== wrapper) return false;
      if (ownDescriptor) Object.defineProperty(target, name, ownDescriptor);
      else delete target[name];
      // The prototype changed under us (rare): put the very original back as an own property.
      if (target[name] !== original)
        Object.defineProperty(target, name, { value: original, writable: true, configurable: true });
      return true;
    },
  };
  if (!byName) {
    byName = new Map();
    installed.set(target, byName);
  }
  byName.set(name, handle as WrapHandle<AnyFunction>);
  return handle;
}

/** True for a wrapper made by `wrapMethod` (by this copy of runlog or another: the tag is a global symbol). */
export function isWrapped(fn: unknown): fn is Wrapped<AnyFunction> {
  return typeof fn === 'function' && ORIGINAL in fn;
}

/** The function a wrapper wraps, or undefined when `fn` is not a runlog wrapper. */
export function originalOf<F extends AnyFunction>(fn: F | Wrapped<F>): F | undefined {
  return isWrapped(fn) ? (fn as Wrapped<F>)[ORIGINAL] : undefined;
}
