import { type CallbackLike, type HookEvent, InvalidValueError, type JsonObject } from '@runlog/core/browser';
import type { io } from '@tensorflow/tfjs-core';
import type { Logs } from './readLogs.js';
import { RunlogCallback } from './runlogCallback.js';
import type { TrainingRun } from './trainingRun.js';

export interface CheckpointOptions<R extends TrainingRun = TrainingRun> {
  /** Default: the current run. */
  run?: R;
  /** The epoch log that decides "best". Default 'val_loss'. */
  monitor?: string;
  /** 'min', 'max', or 'auto' (default: 'max' for accuracy-like names, else 'min'), as in Keras. */
  mode?: 'min' | 'max' | 'auto';
  /** Only save epochs that improve on the best so far. Default false. */
  saveBestOnly?: boolean;
  /** Only save epochs whose monitored value ranks among the K best seen so far (Lightning's save_top_k). */
  saveTopK?: number;
  /** Consider every Nth epoch only. Default 1. */
  everyNEpochs?: number;
  /** The model artifact's name. Default `model-<run id>`. */
  name?: string;
  /** Also save the optimizer state (trainingConfig + optimizer weights), to resume training. Default false. */
  includeOptimizer?: boolean;
}

/** A checkpoint as logged: its version (`v3`) and full name, for `saved` and the `saveCheckpoint` hook. */
export interface LoggedCheckpoint {
  version?: string;
  qualifiedName?: string;
}

/**
 * ModelCheckpoint's logic, shared by Node and the browser: which epochs to keep (best, top K, every N), their
 * aliases and metadata, capturing the weights at the epoch end, and logging them in order in the background.
 * Where a checkpoint goes is the subclass's `logCheckpoint` (files and an artifact in Node, the page's storage
 * in @runlog/browser).
 */
export abstract class CheckpointCallback<R extends TrainingRun = TrainingRun>
  extends RunlogCallback<R>
  implements CallbackLike
{
  readonly monitor: string;
  readonly mode: 'min' | 'max';
  private readonly saveBestOnly: boolean;
  private readonly saveTopK?: number;
  private readonly everyNEpochs: number;
  private readonly includeOptimizer: boolean;
  private readonly nameOption?: string;
  private best?: number;
  private readonly topValues: number[] = [];
  private pending: Promise<void> = Promise.resolve();
  private warnedMissing = false;
  /** The model of the current fit (fitStart's `model`). */
  private trained?: SavableModel;
  /** Versions this callback logged, in order: `{ epoch, value, version, aliases }`. */
  readonly saved: Array<{ epoch: number; value?: number; version?: string; aliases: string[] }> = [];

  constructor(options: CheckpointOptions<R> = {}) {
    super(options.run);
    this.monitor = options.monitor ?? 'val_loss';
    this.mode = resolveMode(options.mode ?? 'auto', this.monitor);
    this.saveBestOnly = options.saveBestOnly ?? false;
    this.everyNEpochs = options.everyNEpochs ?? 1;
    this.includeOptimizer = options.includeOptimizer ?? false;
    this.nameOption = options.name;
    if (options.saveTopK !== undefined) {
      if (!Number.isInteger(options.saveTopK) || options.saveTopK < 1)
        throw new InvalidValueError(
          `ModelCheckpoint: saveTopK must be a positive integer, got ${options.saveTopK}`,
          'INVALID_ARGUMENT',
        );
      this.saveTopK = options.saveTopK;
    }
    if (!Number.isInteger(this.everyNEpochs) || this.everyNEpochs < 1)
      throw new InvalidValueError(
        `ModelCheckpoint: everyNEpochs must be a positive integer, got ${this.everyNEpochs}`,
        'INVALID_ARGUMENT',
      );
  }

  /** The artifact name versions go to. */
  get name(): string {
    return this.nameOption ?? `model-${this.run.id}`;
  }

  /** Resolves when every checkpoint captured so far is written and logged. */
  settled(): Promise<void> {
    return this.pending;
  }

  fitStart(event: HookEvent<'fitStart'>): void {
    this.bindRun(event);
    this.trained = isSavable(event.model) ? event.model : undefined;
  }

  trainEpochEnd({ epoch, logs }: HookEvent<'trainEpochEnd'>): Promise<void> | undefined {
    return this.safely('trainEpochEnd', () => this.save(epoch, logs));
  }

  /** Captures this epoch's model when it should be kept, and logs it in the background. */
  private async save(epoch: number, logs: Logs): Promise<void> {
    if ((epoch + 1) % this.everyNEpochs !== 0) return;
    const value = logs[this.monitor];
    const known = typeof value === 'number' && !Number.isNaN(value);
    if (!known && (this.saveBestOnly || this.saveTopK)) {
      this.warnMissing(logs);
      return;
    }
    const improved = known && (this.best === undefined || this.better(value, this.best));
    if (this.saveBestOnly && !improved) return;
    if (this.saveTopK && known && !this.entersTopK(value)) return;
    if (improved) this.best = value;

    const aliases = ['latest', `epoch-${epoch}`, ...(improved ? ['best'] : [])];
    const metadata: JsonObject = { epoch, monitor: this.monitor, mode: this.mode, best: improved, logs: finite(logs) };
    if (known && Number.isFinite(value)) metadata.value = value;
    const model = this.trained ?? (isSavable(this.model) ? this.model : undefined);
    if (!model) {
      throw new InvalidValueError(
        "ModelCheckpoint: no model to save: in a custom loop, pass it as fitStart's `model`",
        'INVALID_ARGUMENT',
      );
    }
    const artifacts = await captureArtifacts(model, this.includeOptimizer);
    const entry: CheckpointCallback['saved'][number] = { epoch, value: known ? value : undefined, aliases };
    this.saved.push(entry);
    this.pending = this.pending.then(async () => {
      try {
        const artifact = await this.logCheckpoint(artifacts, aliases, metadata);
        entry.version = artifact.version;
        await this.emitSaved(epoch, artifact, aliases, metadata);
      } catch (error) {
        this.run.reportError(error, `ModelCheckpoint epoch ${epoch}`);
      }
    });
    this.run.trackBackground(this.pending, `ModelCheckpoint epoch ${epoch}`);
  }

  /** Stores one checkpoint (the model's topology and weights) as a version of the model artifact `name`. */
  protected abstract logCheckpoint(
    artifacts: io.ModelArtifacts,
    aliases: string[],
    metadata: JsonObject,
  ): Promise<LoggedCheckpoint>;

  private async emitSaved(epoch: number, artifact: LoggedCheckpoint, aliases: string[], metadata: JsonObject) {
    if (!this.run.hooks.has('saveCheckpoint')) return;
    await this.run.hooks.call('saveCheckpoint', {
      epoch,
      artifact: artifact.qualifiedName ?? this.name,
      aliases,
      metadata,
    });
  }

  private better(value: number, than: number): boolean {
    return this.mode === 'min' ? value < than : value > than;
  }

  /** Lightning's rule: saved while fewer than K are kept, else only when strictly better than the K-th best. */
  private entersTopK(value: number): boolean {
    const k = this.saveTopK!;
    const top = this.topValues;
    if (top.length >= k && !this.better(value, top[k - 1])) return false;
    top.push(value);
    top.sort((a, b) => (this.mode === 'min' ? a - b : b - a));
    top.length = Math.min(top.length, k);
    return true;
  }

  private warnMissing(logs: Logs): void {
    if (this.warnedMissing) return;
    this.warnedMissing = true;
    this.run.reportError(
      new InvalidValueError(
        `ModelCheckpoint: monitor '${this.monitor}' is not in the epoch logs (${Object.keys(logs).join(', ')}); nothing is saved. Pass validationData/validationSplit or another monitor.`,
        'INVALID_ARGUMENT',
      ),
      'ModelCheckpoint',
    );
  }
}

/** Keras's rule: accuracy-like metrics are maximised, everything else minimised. */
function resolveMode(mode: 'min' | 'max' | 'auto', monitor: string): 'min' | 'max' {
  if (mode === 'min' || mode === 'max') return mode;
  if (mode !== 'auto') {
    throw new InvalidValueError(
      `ModelCheckpoint: mode must be 'min', 'max' or 'auto', got ${String(mode)}`,
      'INVALID_ARGUMENT',
    );
  }
  return /acc|auc|precision|recall|fmeasure|f1/i.test(monitor) ? 'max' : 'min';
}

/** What ModelCheckpoint needs of a model: tfjs's `save` (a LayersModel has it). */
interface SavableModel {
  save(handler: io.IOHandler, config?: io.SaveConfig): Promise<io.SaveResult>;
}

function isSavable(model: unknown): model is SavableModel {
  return typeof (model as Partial<SavableModel> | null)?.save === 'function';
}

/** The model's artifacts in memory (topology + weights), read now so training can go on while they are written. */
async function captureArtifacts(model: SavableModel, includeOptimizer: boolean): Promise<io.ModelArtifacts> {
  let captured: io.ModelArtifacts | undefined;
  await model.save(
    {
      save: async (artifacts) => {
        captured = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      },
    },
    { includeOptimizer },
  );
  return captured!;
}

function finite(logs: Logs): JsonObject {
  const out: JsonObject = {};
  for (const key in logs) if (Number.isFinite(logs[key])) out[key] = logs[key];
  return out;
}
