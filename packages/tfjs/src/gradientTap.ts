import { safeExecute, type WrapHandle, wrapMethod } from '@runlog/media/browser';
import type { NamedTensorMap, Optimizer, Tensor } from '@tensorflow/tfjs-core';

/** tfjs-core's NamedTensor (not exported from its index): applyGradients also accepts a list of these. */
interface NamedTensor {
  name: string;
  tensor: Tensor;
}

/**
 * Sees the gradients of one optimizer step, before (`gradients`) and after (`applied`) they are applied.
 * `step` counts the wrapped optimizer's applyGradients calls since it was first tapped. Never dispose the tensors.
 * What a listener throws is handed to its `error` (report it on the run: it is counted there); the optimizer
 * step happens all the same. Without `error`, it is printed once per listener.
 */
export interface GradientListener {
  /** A promise it returns is not waited for (applyGradients is synchronous); a rejection goes to `error`. */
  gradients?(gradients: NamedTensorMap, step: number): void | Promise<void>;
  applied?(step: number): void;
  error?(error: unknown): void;
}

type ApplyGradients = Optimizer['applyGradients'];

interface TapState {
  readonly handle: WrapHandle<ApplyGradients>;
  readonly listeners: Map<object, { listener: GradientListener; refs: number; onError: (error: unknown) => void }>;
}

const taps = new WeakMap<Optimizer, TapState>();

/**
 * Wraps `optimizer.applyGradients` (OpenTelemetry-style, with @runlog/media's `wrapMethod`: one wrapper per
 * optimizer, shared by every listener, removed when the last listener leaves) so that fit, fitDataset and custom
 * loops calling `optimizer.minimize` all report their gradients. Returns the function that removes this
 * listener. Listeners registered with the same `key` share one slot (reference counted), so two parts of runlog
 * asking for the same thing get it once. The wrapped call's arguments, result and errors are untouched, and a
 * throwing listener never skips the step.
 */
export function tapGradients(optimizer: Optimizer, listener: GradientListener, key: object = listener): () => void {
  const state = taps.get(optimizer) ?? install(optimizer);
  const slot = state.listeners.get(key);
  if (slot) slot.refs++;
  else state.listeners.set(key, { listener, refs: 1, onError: listener.error?.bind(listener) ?? printOnce() });
  let removed = false;
  return () => {
    if (removed) return;
    removed = true;
    const current = state.listeners.get(key);
    if (current && --current.refs === 0) state.listeners.delete(key);
    if (state.listeners.size === 0 && taps.get(optimizer) === state) {
      taps.delete(optimizer);
      // Restores the optimizer unless someone wrapped on top of us: then our wrapper stays, a pass-through.
      state.handle.unwrap();
    }
  };
}

/** True while any listener taps `optimizer`. */
export function isTapped(optimizer: Optimizer): boolean {
  return taps.has(optimizer);
}

function install(optimizer: Optimizer): TapState {
  const listeners: TapState['listeners'] = new Map();
  let steps = 0;
  const handle = wrapMethod(
    optimizer,
    'applyGradients',
    (original) =>
      function applyGradients(this: Optimizer, variableGradients: NamedTensorMap | NamedTensor[]) {
        const step = steps++;
        if (listeners.size === 0) return original.call(this, variableGradients); // unwatched, wrapped over
        const slots = [...listeners.values()]; // a copy: a listener may remove itself
        const named = Array.isArray(variableGradients) ? toMap(variableGradients) : variableGradients;
        for (const { listener, onError } of slots) {
          if (listener.gradients) safeExecute(() => listener.gradients!(named, step), onError);
        }
        const result = original.call(this, variableGradients);
        for (const { listener, onError } of slots) {
          if (listener.applied) safeExecute(() => listener.applied!(step), onError);
        }
        return result;
      },
  );
  const state: TapState = { handle, listeners };
  taps.set(optimizer, state);
  return state;
}

/** The error handler of a listener that has none: print the first error, stay quiet after. */
function printOnce(): (error: unknown) => void {
  let printed = false;
  return (error) => {
    if (printed) return;
    printed = true;
    console.error('runlog: a gradient listener failed (the optimizer step went on):', error);
  };
}

function toMap(list: NamedTensor[]): NamedTensorMap {
  const map: NamedTensorMap = {};
  for (const { name, tensor } of list) map[name] = tensor;
  return map;
}
