import type { Alert } from './alerts.js';
import type { RunState } from './runState.js';

/** The events a Run emits (it is an EventEmitter). */
export interface RunEvents {
  log: [data: Record<string, unknown>, step: number];
  summary: [key: string, value: unknown];
  alert: [alert: Alert];
  artifact: [event: { direction: 'used' | 'logged'; artifact: string; type: string }];
  finish: [state: RunState, exitCode: number];
  error: [error: { context: string; message: string; error: unknown }];
}
