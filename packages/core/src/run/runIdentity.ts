import { EventEmitter } from 'eventemitter3';
import type { RunDocument } from './runDocument.js';
import type { RunEvents } from './runEvents.js';
import type { RunParts } from './runOptions.js';

/** The dashboard address of a run: `RUNLOG_UI_URL` (a `runlog ui`), else `RUNLOG_HOST` (a server serves it), else null. */
export function runUrl(project: string, id: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const base = env.RUNLOG_UI_URL || env.RUNLOG_HOST;
  if (!base) return null;
  return `${base.replace(/\/+$/, '')}/#/r/${encodeURIComponent(project)}/${encodeURIComponent(id)}`;
}

/**
 * wandb's Run properties that describe where and how a run lives (start time, starting step, mode, entity,
 * url). A base class so run.ts stays a short facade.
 */
export abstract class RunIdentity extends EventEmitter<RunEvents> {
  readonly #document: RunDocument;
  readonly #disabled: boolean;
  /** The first step this process logs to: 0, or where a resume, rewind or fork continues. */
  readonly startingStep: number;

  constructor(parts: RunParts) {
    super();
    this.#document = parts.document;
    this.#disabled = parts.disabled;
    this.startingStep = parts.stored?.nextStep ?? 0;
  }

  /** When the run first started (a resumed run keeps its original start). wandb gives Unix seconds; this is a Date. */
  get startTime(): Date {
    return new Date(this.#document.startedAt ?? this.#document.createdAt);
  }
  /** 'offline' (written to the local store) or 'disabled'. */
  get mode(): 'offline' | 'disabled' {
    return this.#disabled ? 'disabled' : 'offline';
  }
  get offline(): boolean {
    return !this.#disabled;
  }
  get disabled(): boolean {
    return this.#disabled;
  }
  /** wandb's entity: local runs have none (an entity given to init or in a path is accepted and ignored). */
  get entity(): null {
    return null;
  }
  /** The run's dashboard page when `RUNLOG_UI_URL` or `RUNLOG_HOST` is set, else null. */
  get url(): string | null {
    return runUrl(this.#document.project, this.#document.id);
  }
}
