import type { RunState } from './runRecord.js';
import { StateTransitionError } from './stateTransitionError.js';

/**
 * The transitions `updateState()` may make (wandb's public API): back to `pending` to requeue a run that is
 * running, failed, crashed or preempted (`preempting` here), and to `failed` from `pending` or `running`.
 */
export const ALLOWED_TRANSITIONS: Readonly<Record<'pending' | 'failed', readonly RunState[]>> = {
  pending: ['running', 'failed', 'crashed', 'preempting'],
  failed: ['pending', 'running'],
};

export function assertTransition(runPath: string, from: RunState, to: unknown): asserts to is 'pending' | 'failed' {
  if (to !== 'pending' && to !== 'failed') {
    throw new StateTransitionError(
      `updateState() sets "pending" or "failed", not ${JSON.stringify(to)} (run ${runPath})`,
    );
  }
  if (!ALLOWED_TRANSITIONS[to].includes(from)) {
    throw new StateTransitionError(
      `run ${runPath} is ${from}: it can become ${to} only from ${ALLOWED_TRANSITIONS[to].join(', ')}`,
    );
  }
}
