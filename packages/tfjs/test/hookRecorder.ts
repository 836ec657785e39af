import { Callback, HOOK_NAMES, type HookEvent, type HookName } from '@runlog/core';

/** The hooks a fit emits: every hook of core but the predict ones (the onnx adapter's). */
export const TRAINING_HOOKS = HOOK_NAMES.filter((name) => !name.startsWith('predict'));

/** A core Callback that records every hook it receives, written once against core only. */
export class HookRecorder extends Callback {
  readonly calls: Array<{ name: HookName; event: Record<string, unknown> }> = [];

  /** The names received, in order. */
  names(): HookName[] {
    return this.calls.map((c) => c.name);
  }

  /** The first event of `name`. */
  first(name: HookName): Record<string, unknown> {
    const call = this.calls.find((c) => c.name === name);
    if (!call) throw new Error(`no ${name} hook was received`);
    return call.event;
  }
}
for (const name of HOOK_NAMES) {
  Object.defineProperty(HookRecorder.prototype, name, {
    value(this: HookRecorder, event: HookEvent<typeof name>) {
      this.calls.push({ name, event: event as unknown as Record<string, unknown> });
    },
  });
}
