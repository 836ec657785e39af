import type { NamedTensorMap, Optimizer, Tensor } from '@tensorflow/tfjs-core';

/** tfjs-core's NamedTensor (not exported from its index): applyGradients also accepts a list of these. */
interface NamedTensor {
  name: string;
  tensor: Tensor;
}

/**
 * Sees the gradients of one optimizer step, before (`gradients`) and after (`applied`) they are applied.
 * `step` counts the wrapped optimizer's applyGradients calls since it was first tapped. Never dispose the tensors.
 */
export interface GradientListener {
  gradients?(gradients: NamedTensorMap, step: number): void;
  applied?(step: number): void;
}

type ApplyGradients = Optimizer['applyGradients'];

interface TapState {
  readonly original: ApplyGradients;
  /** The optimizer's own `applyGradients` property before we wrapped it, if it had one (else the prototype's). */
  readonly ownDescriptor: PropertyDescriptor | undefined;
  readonly wrapper: ApplyGradients;
  readonly listeners: Map<object, { listener: GradientListener; refs: number }>;
  step: number;
}

const taps = new WeakMap<Optimizer, TapState>();

/**
 * Wraps `optimizer.applyGradients` (OpenTelemetry-style: one wrapper per optimizer, shared by every listener,
 * removed when the last listener leaves) so that fit, fitDataset and custom loops calling `optimizer.minimize`
 * all report their gradients. Returns the function that removes this listener. Listeners registered with the
 * same `key` share one slot (reference counted), so two parts of runlog asking for the same thing get it once.
 * The wrapped call's arguments, result and errors are untouched.
 */
export function tapGradients(optimizer: Optimizer, listener: GradientListener, key: object = listener): () => void {
  const state = taps.get(optimizer) ?? install(optimizer);
  const slot = state.listeners.get(key);
  if (slot) slot.refs++;
  else state.listeners.set(key, { listener, refs: 1 });
  let removed = false;
  return () => {
    if (removed) return;
    removed = true;
    const current = state.listeners.get(key);
    if (current && --current.refs === 0) state.listeners.delete(key);
    if (state.listeners.size === 0) uninstall(optimizer, state);
  };
}

/** True while any listener taps `optimizer`. */
export function isTapped(optimizer: Optimizer): boolean {
  return taps.has(optimizer);
}

function install(optimizer: Optimizer): TapState {
  const original = optimizer.applyGradients;
  const listeners: TapState['listeners'] = new Map();
  const state: TapState = {
    original,
    ownDescriptor: Object.getOwnPropertyDescriptor(optimizer, 'applyGradients'),
    listeners,
    step: 0,
    wrapper: function applyGradients(
      this: Optimizer,
      variableGradients: NamedTensorMap | NamedTensor[],
    ): ReturnType<ApplyGradients> {
      const step = state.step++;
      const slots = [...listeners.values()]; // a copy: a listener may remove itself
      if (slots.length > 0) {
        const named = Array.isArray(variableGradients) ? toMap(variableGradients) : variableGradients;
        for (const { listener } of slots) listener.gradients?.(named, step);
      }
      const result = original.call(this, variableGradients);
      for (const { listener } of slots) listener.applied?.(step);
      return result;
    },
  };
  Object.defineProperty(state.wrapper, WRAPPED_ORIGINAL, { value: original });
  Object.defineProperty(optimizer, 'applyGradients', { value: state.wrapper, writable: true, configurable: true });
  taps.set(optimizer, state);
  return state;
}

function uninstall(optimizer: Optimizer, state: TapState): void {
  taps.delete(optimizer);
  // Only unwrap if our wrapper is still the one in place; otherwise someone wrapped on top of us and removing
  // ours would drop theirs. Left in place with no listener, the wrapper is a plain pass-through.
  if (optimizer.applyGradients !== state.wrapper) return;
  if (state.ownDescriptor) Object.defineProperty(optimizer, 'applyGradients', state.ownDescriptor);
  else delete (optimizer as Partial<Pick<Optimizer, 'applyGradients'>>).applyGradients;
}

/** Tags a wrapper with the function it wraps (the OpenTelemetry `__original` convention). */
export const WRAPPED_ORIGINAL: unique symbol = Symbol.for('runlog.wrapped-original') as never;

function toMap(list: NamedTensor[]): NamedTensorMap {
  const map: NamedTensorMap = {};
  for (const { name, tensor } of list) map[name] = tensor;
  return map;
}
