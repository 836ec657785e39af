import type { Tensor } from '@tensorflow/tfjs-core';

/** What tfjs hands its callbacks: numbers, or scalar tensors it disposes after the callbacks ran. */
export type UnresolvedLogs = Record<string, number | Tensor>;
export type Logs = Record<string, number>;

// Every callback of one fit receives the same logs object: read its tensors once for all of them.
const resolved = new WeakMap<object, Promise<Logs>>();

/**
 * The numbers in tfjs callback logs, without touching the logs object (the History callback and tfjs itself
 * still own and dispose its tensors). The value read is the same float32 History will hold.
 */
export function readLogs(logs: UnresolvedLogs | undefined): Promise<Logs> {
  if (!logs) return Promise.resolve({});
  let pending = resolved.get(logs);
  if (!pending) {
    pending = readNow(logs);
    resolved.set(logs, pending);
  }
  return pending;
}

async function readNow(logs: UnresolvedLogs): Promise<Logs> {
  const out: Logs = {};
  for (const key of Object.keys(logs)) {
    const value = logs[key];
    out[key] = typeof value === 'number' ? value : (await value.data())[0];
  }
  return out;
}
