import type { OnlineSyncStatus } from '../online/onlineSyncer.js';
import type { RunState } from './runState.js';

/** What `run.status()` reports. */
export interface RunStatus {
  state: RunState;
  /** The next step log() writes to. */
  step: number;
  /** History rows of this session whose bytes are on disk (rows still queued are not counted). */
  rowsWritten: number;
  /** History rows dropped, never written: the disk refused writes until the queue bound (maxQueuedBytes). */
  droppedRows: number;
  queuedBytes: number;
  pendingMedia: number;
  lastFlushAt: Date | undefined;
  writeErrors: number;
  errors: Array<{ context: string; message: string; at: string }>;
  /** An online run's sync status (what the server acknowledged, what is pending, the last error). */
  sync?: OnlineSyncStatus;
}

/** The background failures status() keeps: the most recent ones. */
const MAX_REMEMBERED_ERRORS = 50;

/** Where a run's failures are told: a printed warning, and the run's 'error' event. */
export interface FailureOutlets {
  warn(message: string): void;
  emit(event: { context: string; message: string; error: unknown }): void;
}

/**
 * A run's background failures (I/O, media encoding, artifacts), which never throw into the training loop: the
 * latest are kept for status(), each is emitted, and the first of each context is printed.
 */
export class RunHealth {
  private readonly errors: RunStatus['errors'] = [];
  private readonly announced = new Set<string>();

  constructor(private readonly outlets: FailureOutlets) {}

  report(error: unknown, context: string): void {
    const message = error instanceof Error ? error.message : String(error);
    this.errors.push({ context, message, at: new Date().toISOString() });
    if (this.errors.length > MAX_REMEMBERED_ERRORS) this.errors.shift();
    if (!this.announced.has(context)) {
      this.announced.add(context);
      this.outlets.warn(`${context} failed: ${message} (the run goes on; see run.status())`);
    }
    this.outlets.emit({ context, message, error });
  }

  /** The failures remembered, oldest first. */
  list(): RunStatus['errors'] {
    return [...this.errors];
  }
}
