export type { HookEvent } from './callback.js';
export { Callback } from './callback.js';
export type { CallbackLike, HookHandler } from './hookBus.js';
export { HookBus } from './hookBus.js';
export type { HookName, HookPayloads, Stage } from './hookNames.js';
export { HOOK_NAMES } from './hookNames.js';
export type { RunLike } from './runLike.js';
