import { type Run, RunlogError } from '@runlog/core';
import { isWrapped, originalOf, resolveRun, safeExecute, wrapMethod } from '@runlog/media';
import { describe, expect, it } from 'vitest';

class Counter {
  calls = 0;
  add(n: number): number {
    this.calls += n;
    return this.calls;
  }
}

describe('wrapMethod', () => {
  it('wraps an inherited method, tags the wrapper with its original, and unwrapping uncovers the prototype again', () => {
    const counter = new Counter();
    const seen: number[] = [];
    const handle = wrapMethod(
      counter,
      'add',
      (original) =>
        function (this: Counter, n: number) {
          seen.push(n);
          return original.call(this, n);
        },
    );
    expect(counter.add(2)).toBe(2); // same result, same receiver
    expect(seen).toEqual([2]);
    expect(Object.hasOwn(counter, 'add')).toBe(true);
    expect(Object.keys(counter)).toEqual(['calls']); // the wrapper is not enumerable
    expect(isWrapped(counter.add)).toBe(true);
    expect(originalOf(counter.add)).toBe(Counter.prototype.add);
    expect(handle.unwrap()).toBe(true);
    expect(Object.hasOwn(counter, 'add')).toBe(false);
    expect(counter.add).toBe(Counter.prototype.add);
    expect(isWrapped(counter.add)).toBe(false);
    expect(handle.unwrap()).toBe(false); // a second unwrap does nothing
  });

  it('puts an own property back exactly as it was (value and attributes)', () => {
    const own = (n: number) => n * 2;
    const target = { twice: own };
    Object.defineProperty(target, 'twice', { value: own, writable: false, enumerable: true, configurable: true });
    const before = Object.getOwnPropertyDescriptor(target, 'twice');
    const handle = wrapMethod(target, 'twice', (original) => (n: number) => original(n) + 1);
    expect(target.twice(2)).toBe(5);
    expect(Object.keys(target)).toEqual(['twice']); // still enumerable while wrapped
    handle.unwrap();
    expect(Object.getOwnPropertyDescriptor(target, 'twice')).toEqual(before);
  });

  it('is idempotent: wrapping a wrapped method returns the handle in place and does not wrap twice', () => {
    const counter = new Counter();
    let made = 0;
    const make = (original: Counter['add']) => {
      made++;
      return function (this: Counter, n: number) {
        return original.call(this, n);
      };
    };
    const first = wrapMethod(counter, 'add', make);
    const second = wrapMethod(counter, 'add', make);
    expect(second).toBe(first);
    expect(made).toBe(1);
    expect(originalOf(counter.add)).toBe(Counter.prototype.add); // one layer
    first.unwrap();
    const third = wrapMethod(counter, 'add', make); // after unwrapping, wrapping works again
    expect(third).not.toBe(first);
    expect(made).toBe(2);
    third.unwrap();
  });

  it('unwrapping restores only while the wrapper is in place: a wrapper put on top stays', () => {
    const counter = new Counter();
    const ours = wrapMethod(
      counter,
      'add',
      (original) =>
        function (this: Counter, n: number) {
          return original.call(this, n);
        },
    );
    const theirs = function (this: Counter, n: number) {
      return ours.wrapper.call(this, n * 10);
    };
    counter.add = theirs;
    expect(ours.unwrap()).toBe(false);
    expect(counter.add).toBe(theirs);
    expect(counter.add(1)).toBe(10); // our wrapper still passes the call through below theirs
  });

  it('a frozen target cannot be wrapped: the TypeError says so and nothing changes', () => {
    const frozen = Object.freeze(new Counter());
    const wrap = () =>
      wrapMethod(
        frozen,
        'add',
        (original) =>
          function (this: Counter, n: number) {
            return original.call(this, n);
          },
      );
    expect(wrap).toThrow(TypeError);
    expect(frozen.add).toBe(Counter.prototype.add);
    // a wrapper must be a new function: tagging the original itself would mark every user of it
    expect(() => wrapMethod(new Counter(), 'add', (original) => original)).toThrow(/new function/);
    expect(isWrapped(Counter.prototype.add)).toBe(false);
  });
});

describe('safeExecute', () => {
  it('returns the result, or hands a throw to onError and returns undefined', () => {
    const errors: unknown[] = [];
    expect(
      safeExecute(
        () => 42,
        (e) => errors.push(e),
      ),
    ).toBe(42);
    const boom = new Error('boom');
    expect(
      safeExecute(
        () => {
          throw boom;
        },
        (e) => errors.push(e),
      ),
    ).toBeUndefined();
    expect(errors).toEqual([boom]);
  });

  it('a rejected promise goes to onError and resolves to undefined; a failing onError is contained', async () => {
    const errors: unknown[] = [];
    const boom = new Error('async boom');
    await expect(
      safeExecute(
        () => Promise.reject(boom),
        (e) => errors.push(e),
      ),
    ).resolves.toBeUndefined();
    await expect(
      safeExecute(
        () => Promise.resolve(7),
        (e) => errors.push(e),
      ),
    ).resolves.toBe(7);
    expect(errors).toEqual([boom]);
    expect(
      safeExecute(
        () => {
          throw boom;
        },
        () => {
          throw new Error('the reporter failed too');
        },
      ),
    ).toBeUndefined();
  });
});

describe('resolveRun', () => {
  it('takes the run passed, else the current run, else NO_ACTIVE_RUN naming the caller', () => {
    const run = { id: 'r' } as Run;
    expect(resolveRun(run, 'watch()')).toBe(run);
    let error: unknown;
    try {
      resolveRun(undefined, 'watch()'); // no init() in this test file
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RunlogError);
    expect(error).toMatchObject({ code: 'NO_ACTIVE_RUN', message: expect.stringMatching(/^watch\(\) needs a run/) });
  });
});
