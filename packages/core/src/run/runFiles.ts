import { writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { InvalidValueError } from '../errors/runlogError.js';
import { atomicWriteJson, atomicWriteJsonSync } from '../storage/atomicWrite.js';
import { RUN_FILES } from '../storage/storePaths.js';
import type { MetricDefinitions } from '../summary/metricDefinition.js';
import type { Summary } from '../summary/summary.js';
import type { Config } from './config.js';
import type { RunDocument } from './runDocument.js';
import type { RunState } from './runState.js';

/**
 * How often, at most, background flushes rewrite summary.json and metrics.json while values keep coming (each save
 * is two atomic writes with fsync); `run.flush()`, finish and the exit handlers always save.
 */
export const SUMMARY_SAVE_INTERVAL_MS = 2000;

export interface RunFilesParts {
  /** The run folder. */
  dir: string;
  document: RunDocument;
  config: Config;
  summary: Summary;
  definitions: MetricDefinitions;
  /** Seconds since the run started, resumes included. */
  runtime: () => number;
  reportError: (error: unknown, context: string) => void;
}

/**
 * The run's JSON documents and heartbeat (docs/FORMAT.md): run.json (identity, config, state: its edits go through
 * here, so each marks it for saving), summary.json, and
 * metrics.json (definitions and the summary's running state, for resume), each replaced atomically; and the
 * heartbeat file a reader uses to tell a live run from a crashed one. Saves of one document never overlap, and
 * each writes the document as it is when it starts. A failed save is reported and tried again at the next flush.
 */
export class RunFiles {
  private readonly document: RunDocument;
  private documentChanged = false;
  private documentSave: Promise<void> = Promise.resolve();
  private summarySave: Promise<void> = Promise.resolve();
  /** The summary's change count at the last successful save. */
  private savedSummaryChanges = 0;
  private lastSummarySave = 0;

  constructor(private readonly parts: RunFilesParts) {
    this.document = parts.document;
  }

  /** The state run.json records. */
  get state(): RunState {
    return this.document.state;
  }

  /** run.json changed (the config, say): the next flush saves it. */
  markDocumentChanged(): void {
    this.documentChanged = true;
  }

  setName(name: string): void {
    if (typeof name !== 'string' || name.length === 0)
      throw new InvalidValueError('a run name must be a non-empty string', 'INVALID_ARGUMENT');
    this.document.name = name;
    this.documentChanged = true;
  }

  setTags(tags: readonly string[]): void {
    if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string'))
      throw new InvalidValueError('tags must be an array of strings', 'INVALID_ARGUMENT');
    this.document.tags = [...tags];
    this.documentChanged = true;
  }

  setNotes(notes: string): void {
    this.document.notes = String(notes);
    this.documentChanged = true;
  }

  /** A scheduler will stop the run and resume it later. */
  recordPreempting(): void {
    this.document.state = 'preempting';
    this.documentChanged = true;
  }

  /** Whether the git working tree had uncommitted changes (known a while after start). */
  recordGitDirty(dirty: boolean): void {
    if (!this.document.metadata.git) return;
    this.document.metadata.git.dirty = dirty;
    this.documentChanged = true;
  }

  /** Records how the run ended in run.json (saved by the caller). */
  recordEnd(state: RunState, exitCode: number): void {
    const now = new Date().toISOString();
    const document = this.document;
    document.state = state;
    document.exitCode = exitCode;
    document.finishedAt = now;
    document.updatedAt = now;
    document.runtimeSeconds = this.parts.runtime();
    this.documentChanged = true;
  }

  /** Writes run.json and the heartbeat for the first time; throws if the folder cannot be written. */
  async writeInitial(): Promise<void> {
    await atomicWriteJson(this.path(RUN_FILES.run), this.documentJSON());
    await this.writeHeartbeat(true);
  }

  /**
   * A flush's saves: the summary if it changed (at most every SUMMARY_SAVE_INTERVAL_MS unless `always`), and
   * run.json if it changed; resolves once no save of run.json is under way.
   */
  async saveChanged(always: boolean): Promise<void> {
    const summaryChanged = this.parts.summary.changes !== this.savedSummaryChanges;
    if (summaryChanged && (always || Date.now() - this.lastSummarySave > SUMMARY_SAVE_INTERVAL_MS)) {
      await this.saveSummary();
    }
    if (this.documentChanged) await this.saveDocument();
    else await this.documentSave;
  }

  /** Saves run.json. */
  saveDocument(): Promise<void> {
    this.documentChanged = false;
    this.documentSave = this.documentSave.then(async () => {
      try {
        await atomicWriteJson(this.path(RUN_FILES.run), this.documentJSON());
      } catch (error) {
        this.documentChanged = true;
        this.parts.reportError(error, 'saving run.json');
      }
    });
    return this.documentSave;
  }

  /** Saves summary.json and metrics.json. */
  saveSummary(): Promise<void> {
    this.lastSummarySave = Date.now();
    this.summarySave = this.summarySave.then(async () => {
      const changes = this.parts.summary.changes;
      try {
        await Promise.all([
          atomicWriteJson(this.path(RUN_FILES.summary), this.parts.summary.toJSON()),
          atomicWriteJson(this.path(RUN_FILES.metrics), this.metricsJSON()),
        ]);
        this.savedSummaryChanges = changes;
      } catch (error) {
        this.parts.reportError(error, 'saving the summary');
      }
    });
    return this.summarySave;
  }

  /** Saves every document synchronously: for signal, uncaught-exception and exit handlers. */
  saveAllSync(): void {
    try {
      atomicWriteJsonSync(this.path(RUN_FILES.summary), this.parts.summary.toJSON());
      atomicWriteJsonSync(this.path(RUN_FILES.metrics), this.metricsJSON());
    } catch (error) {
      this.parts.reportError(error, 'saving the summary');
    }
    this.saveDocumentSync();
  }

  /** Saves run.json synchronously. */
  saveDocumentSync(): void {
    try {
      atomicWriteJsonSync(this.path(RUN_FILES.run), this.documentJSON());
      this.documentChanged = false;
    } catch (error) {
      this.parts.reportError(error, 'saving run.json');
    }
  }

  /** The heartbeat file (rewritten by the heartbeat thread while the run is live). */
  get heartbeatPath(): string {
    return this.path(RUN_FILES.heartbeat);
  }

  /** Rewrites the heartbeat file: this process is alive and still writing the run. */
  async writeHeartbeat(throwOnError = false): Promise<void> {
    const beat = JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() });
    try {
      await writeFile(this.path(RUN_FILES.heartbeat), beat);
    } catch (error) {
      if (throwOnError) throw error;
      this.parts.reportError(error, 'writing the heartbeat');
    }
  }

  private path(file: string): string {
    return join(this.parts.dir, file);
  }

  private documentJSON(): RunDocument {
    const document = this.document;
    document.config = this.parts.config.toJSON();
    document.updatedAt = new Date().toISOString();
    if (!document.finishedAt) document.runtimeSeconds = this.parts.runtime();
    return document;
  }

  private metricsJSON() {
    return { definitions: this.parts.definitions.list(), ...this.parts.summary.stateJSON() };
  }
}
