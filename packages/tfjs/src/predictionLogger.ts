import { type CallbackLike, type HookEvent, InvalidValueError, type Run } from '@runlog/core';
import { Image, Table, type TableCell } from '@runlog/media';
import { argMax, type Tensor, tidy } from '@tensorflow/tfjs-core';
import { RunlogCallback } from './runlogCallback.js';

export interface PredictionLoggerOptions {
  /** Default: the current run. */
  run?: Run;
  /** The samples to predict (their first dimension is the sample). Keep it small: every sample is a table row. */
  x: Tensor;
  /** Their labels: class indices [n] or one-hot [n, classes]. */
  y?: Tensor;
  /** Names of the classes; default their indices. */
  classNames?: string[];
  /** Log every N epochs (default 1). */
  every?: number;
  /** History key of the table. Default 'predictions'. */
  key?: string;
}

/**
 * At epoch end, logs a Table of predictions on fixed samples: `id`, `input` (an Image when the samples are
 * image-shaped: [n, h, w], [n, h, w, 1|3|4]), `label`, `prediction`, `score` (the predicted class's score) and
 * `scores` (every class's), plus `epoch` and `correct`. The tensors stay owned by the caller. A core callback
 * (fitStart with the `model`, trainEpochEnd).
 * @example
 * new PredictionLogger({ run, x: xs.slice(0, 16), y: ys.slice(0, 16), classNames: ['0','1',...] })
 */
export class PredictionLogger extends RunlogCallback<Run> implements CallbackLike {
  private readonly options: PredictionLoggerOptions;
  private readonly every: number;
  private inputCells?: TableCell[];
  private labels?: number[];
  /** The model of the current fit (fitStart's `model`). */
  private predictor?: Predictor;

  constructor(options: PredictionLoggerOptions) {
    super(options.run);
    if (!options?.x || !Array.isArray(options.x.shape) || options.x.shape.length < 1) {
      throw new InvalidValueError(
        'PredictionLogger: x must be a tensor whose first dimension is the sample',
        'INVALID_ARGUMENT',
      );
    }
    this.options = options;
    this.every = options.every ?? 1;
    if (!Number.isInteger(this.every) || this.every < 1) {
      throw new InvalidValueError(
        `PredictionLogger: every must be a positive integer, got ${options.every}`,
        'INVALID_ARGUMENT',
      );
    }
  }

  fitStart(event: HookEvent<'fitStart'>): void {
    this.bindRun(event);
    this.predictor = isPredictor(event.model) ? event.model : undefined;
  }

  trainEpochEnd({ epoch }: HookEvent<'trainEpochEnd'>): void {
    this.safely('trainEpochEnd', () => this.logTable(epoch));
  }

  private logTable(epoch: number): void {
    if ((epoch + 1) % this.every !== 0) return;
    const model = this.predictor ?? (isPredictor(this.model) ? this.model : undefined);
    if (!model) {
      throw new InvalidValueError(
        "PredictionLogger: no model to predict with: in a custom loop, pass it as fitStart's `model`",
        'INVALID_ARGUMENT',
      );
    }
    const { x, classNames, key = 'predictions' } = this.options;
    this.inputCells ??= inputCells(x);
    this.labels ??= this.readLabels();
    const scores = tidy(() => model.predict(x) as Tensor).arraySync() as number[][];
    const name = (index: number) => classNames?.[index] ?? String(index);
    const table = new Table({
      columns: ['id', 'epoch', 'input', 'label', 'prediction', 'score', 'correct', 'scores'],
    });
    scores.forEach((row, i) => {
      const predicted = indexOfMax(row);
      const label = this.labels?.[i];
      table.addData(
        i,
        epoch,
        this.inputCells![i],
        label === undefined ? null : name(label),
        name(predicted),
        row[predicted],
        label === undefined ? null : label === predicted,
        JSON.stringify(row.map((s) => Number(s.toPrecision(6)))),
      );
    });
    this.run.log({ [key]: table });
  }

  private readLabels(): number[] | undefined {
    const { y } = this.options;
    if (!y) return undefined;
    if (y.shape.length === 1) return Array.from(y.dataSync(), Number);
    const indices = tidy(() => argMax(y, -1));
    const values = Array.from(indices.dataSync(), Number);
    indices.dispose();
    return values;
  }
}

/** What PredictionLogger needs of a model: tfjs's `predict` (a LayersModel has it). */
interface Predictor {
  predict(x: Tensor): Tensor | Tensor[];
}

function isPredictor(model: unknown): model is Predictor {
  return typeof (model as Partial<Predictor> | null)?.predict === 'function';
}

/** An Image per sample when x is image-shaped, else the sample's values as text. */
function inputCells(x: Tensor): TableCell[] {
  const [n, ...rest] = x.shape;
  const data = x.dataSync() as Float32Array;
  const per = rest.reduce((a, b) => a * b, 1);
  const channels = rest.length === 2 ? 1 : rest[2];
  const imageShaped = (rest.length === 2 || (rest.length === 3 && [1, 3, 4].includes(channels))) && per >= 16;
  const cells: TableCell[] = [];
  for (let i = 0; i < n; i++) {
    const sample = Float32Array.from(data.subarray(i * per, (i + 1) * per));
    if (!imageShaped) {
      cells.push(JSON.stringify(Array.from(sample, (v) => Number(v.toPrecision(6)))));
      continue;
    }
    cells.push(new Image(toUnitRange(sample), { width: rest[1], height: rest[0], channels }));
  }
  return cells;
}

/** Image floats must lie in [0, 1]: other ranges (standardised inputs) are stretched min-max. */
function toUnitRange(values: Float32Array): Float32Array {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo >= 0 && hi <= 1) return values;
  const span = hi > lo ? hi - lo : 1;
  return values.map((v) => (Number.isFinite(v) ? (v - lo) / span : 0));
}

function indexOfMax(values: number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
