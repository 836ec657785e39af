import {
  Callback,
  HOOK_NAMES,
  HookBus,
  type HookEvent,
  type HookName,
  type HookPayloads,
  type RunLike,
} from '@runlog/core';
import { describe, expect, it } from 'vitest';

const run: RunLike = { id: 'r', project: 'p', log: () => {} };

/** A payload for every hook, so the test can call each one. */
const PAYLOADS: { [K in HookName]: HookPayloads[K] } = {
  setup: { stage: 'fit' },
  fitStart: { epochs: 1 },
  trainStart: {},
  trainEpochStart: { epoch: 0 },
  trainBatchStart: { epoch: 0, batch: 0 },
  beforeOptimizerStep: { step: 0, gradients: {} },
  trainBatchEnd: { epoch: 0, batch: 0, logs: { loss: 1 } },
  validationStart: { epoch: 0 },
  validationEnd: { epoch: 0, logs: { val_loss: 1 } },
  trainEpochEnd: { epoch: 0, logs: { loss: 1 } },
  saveCheckpoint: { epoch: 0, artifact: 'model:v0', aliases: ['latest'], metadata: {} },
  trainEnd: {},
  fitEnd: {},
  predictStart: { name: 'model' },
  predictBatchEnd: { name: 'model', call: 1, latencyMs: 1 },
  predictEnd: { name: 'model', calls: 1 },
  exception: { error: new Error('x'), stage: 'fit' },
  teardown: { stage: 'fit' },
};

describe('Callback and HookBus', () => {
  it('every hook name is a no-op method of Callback and reaches an override, with run in the event', () => {
    const fired: string[] = [];
    class Recorder extends Callback {}
    for (const name of HOOK_NAMES) {
      expect(typeof Callback.prototype[name]).toBe('function');
      (Recorder.prototype as unknown as Record<string, (e: { run: RunLike }) => void>)[name] = (event) => {
        expect(event.run).toBe(run);
        fired.push(name);
      };
    }
    const bus = new HookBus(run);
    bus.addCallback(new Recorder());
    for (const name of HOOK_NAMES) bus.call(name, PAYLOADS[name] as never);
    expect(fired).toEqual([...HOOK_NAMES]);
  });

  it('skips the base class no-ops and dispatches only overridden hooks', () => {
    class OnlyEpochs extends Callback {
      epochs: number[] = [];
      override trainEpochEnd({ epoch }: HookEvent<'trainEpochEnd'>) {
        this.epochs.push(epoch);
      }
    }
    const bus = new HookBus(run);
    const cb = new OnlyEpochs();
    bus.addCallback(cb);
    expect(bus.has('trainEpochEnd')).toBe(true);
    expect(bus.has('trainBatchEnd')).toBe(false);
    bus.call('trainEpochEnd', { epoch: 3, logs: {} });
    expect(cb.epochs).toEqual([3]);
  });

  it('addCallback takes any object with hook methods (a framework callback class), skipping only the base no-ops', () => {
    class FrameworkCallback {
      onEpochEnd() {} // the framework's own vocabulary: not a hook
    }
    class Both extends FrameworkCallback {
      seen: string[] = [];
      fitStart() {
        this.seen.push('fitStart');
      }
    }
    const both = new Both();
    const inherited = Object.assign(new (class extends Callback {})(), { trainEnd: Callback.prototype.trainEnd });
    const bus = new HookBus(run);
    bus.addCallback(both);
    bus.addCallback(inherited); // an own property that is still the base no-op: not dispatched
    expect(HOOK_NAMES.filter((name) => bus.has(name))).toEqual(['fitStart']);
    bus.call('fitStart', {});
    expect(both.seen).toEqual(['fitStart']);
  });

  it('hook() returns its unsubscribe; handlers may unsubscribe while being dispatched', () => {
    const bus = new HookBus(run);
    const calls: string[] = [];
    const off = bus.hook('fitEnd', () => {
      calls.push('a');
      off();
    });
    bus.hook('fitEnd', () => {
      calls.push('b');
    });
    bus.call('fitEnd', {});
    bus.call('fitEnd', {});
    expect(calls).toEqual(['a', 'b', 'b']);
  });

  it('is synchronous until a handler returns a promise, then chains the rest in order', async () => {
    const bus = new HookBus(run);
    const order: string[] = [];
    bus.hook('trainEnd', () => {
      order.push('sync');
    });
    expect(bus.call('trainEnd', {})).toBeUndefined();
    bus.hook('trainEnd', async () => {
      await new Promise((r) => setTimeout(r, 5));
      order.push('async');
    });
    bus.hook('trainEnd', () => {
      order.push('after');
    });
    const result = bus.call('trainEnd', {});
    expect(result).toBeInstanceOf(Promise);
    await result;
    expect(order).toEqual(['sync', 'sync', 'async', 'after']);
  });

  it("never swallows a handler's error", async () => {
    const bus = new HookBus(run);
    bus.hook('setup', () => {
      throw new Error('sync boom');
    });
    expect(() => bus.call('setup', { stage: 'fit' })).toThrow('sync boom');
    const asyncBus = new HookBus(run);
    asyncBus.hook('teardown', async () => {
      throw new Error('async boom');
    });
    await expect(asyncBus.call('teardown', { stage: 'fit' })).rejects.toThrow('async boom');
  });

  it('a run exposes its bus as run.hooks', async () => {
    const { quietInit, tempStore } = await import('./helpers.js');
    const real = await quietInit(tempStore());
    const seen: unknown[] = [];
    real.hooks.hook('trainBatchEnd', (e) => {
      seen.push(e.run);
    });
    real.hooks.call('trainBatchEnd', { epoch: 0, batch: 0, logs: {} });
    expect(seen).toEqual([real]);
    await real.finish();
  });
});
