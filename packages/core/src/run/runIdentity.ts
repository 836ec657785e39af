import { EventEmitter } from 'eventemitter3';
import { ATTACH_ONLINE, type OnlineLink } from '../online/onlineLink.js';
import type { OnlineRunSettings } from '../online/startOnlineSync.js';
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
  /** The online syncer, once one is attached (online mode, t9k's autoUpload). */
  protected onlineLink: OnlineLink | undefined;

  /** 'online' (written locally and streamed to a server), 'offline' (the local store only) or 'disabled'. */
  get mode(): 'online' | 'offline' | 'disabled' {
    return this.#disabled ? 'disabled' : this.onlineLink ? 'online' : 'offline';
  }
  get offline(): boolean {
    return !this.#disabled && !this.onlineLink;
  }
  get disabled(): boolean {
    return this.#disabled;
  }
  /** wandb's entity: local runs have none (an entity given to init or in a path is accepted and ignored). */
  get entity(): null {
    return null;
  }
  /** The run's page: on its server's dashboard when online, else where `RUNLOG_UI_URL`/`RUNLOG_HOST` say, or null. */
  get url(): string | null {
    return this.onlineLink?.url ?? runUrl(this.#document.project, this.#document.id);
  }

  /** Internal (see online/startOnlineSync.ts): takes the run's online syncer; returns the settings it follows. */
  [ATTACH_ONLINE](link: OnlineLink): OnlineRunSettings {
    this.onlineLink = link;
    this.attachUpload(link);
    return this.onlineSettings();
  }

  protected abstract attachUpload(link: OnlineLink): void;
  protected abstract onlineSettings(): OnlineRunSettings;
}
