import { InvalidValueError, type MediaValue, type Run } from '@runlog/core';
import type { Image, Table, TableCell } from '@runlog/media';
import { imageLayoutOf } from './imageLayout.js';
import type { OrtTensorLike, TensorMap } from './ortTensorLike.js';
import { numericView } from './tensorStats.js';

/** One sample of the input tensor, for a custom `toImage`. */
export interface InputSample {
  index: number;
  /** The sample's values (the batch dimension removed), as float64. */
  data: Float64Array;
  /** The sample's dimensions (without the batch dimension). */
  dims: readonly number[];
}

export interface LogPredictionsOptions {
  /** The input batch: a tensor, or the feeds (the first one, or `inputName`, is shown). */
  inputs?: OrtTensorLike | TensorMap;
  /** The output batch: [N, classes] scores (probabilities or logits) or [N] class ids; or the session's outputs. */
  outputs: OrtTensorLike | TensorMap;
  inputName?: string;
  outputName?: string;
  /** True classes per sample: indices, or names from `classNames`. Adds `label` and `correct` columns. */
  labels?: ArrayLike<number> | readonly string[];
  /** Class names by index. */
  classNames?: readonly string[];
  /** How many top classes to list per sample. Default 3. */
  topK?: number;
  /**
   * Image-shaped inputs ([N,C,H,W], [N,H,W,C], [N,H,W]) become images by default, each scaled to [0, 1] on its
   * own range. `false` keeps the raw values instead; a function makes the image itself (e.g. to undo a
   * normalisation): return a media value such as `new Image(...)`.
   */
  toImage?: boolean | ((sample: InputSample) => MediaValue);
  /** Log at this step (see run.log). */
  step?: number;
}

/** The most input values a non-image input cell keeps. */
const MAX_INPUT_VALUES = 64;

/**
 * Logs a Table of predictions under `key`: one row per sample with the input (an image when image-shaped),
 * the predicted class and its score, the top-k classes with their scores, and the label and correctness when
 * labels are given (plus `<key>/accuracy`). Scores that are not probabilities (logits) are turned into
 * probabilities with a softmax. Checks everything before logging: on bad input nothing is logged.
 * @example
 * const outputs = await session.run({ image });
 * await logPredictions(run, 'predictions', { inputs: image, outputs, labels, classNames: ['zero', 'one'] });
 */
export async function logPredictions(run: Run, key: string, options: LogPredictionsOptions): Promise<Table> {
  if (typeof key !== 'string' || key.length === 0) fail('logPredictions needs a key to log the table under');
  if (typeof options !== 'object' || options === null) fail('logPredictions needs { outputs, ... }');
  const output = pickTensor(options.outputs, options.outputName, 'outputs');
  if (!output) fail('logPredictions: outputs are required (a tensor or the outputs of session.run)');
  const input = options.inputs === undefined ? undefined : pickTensor(options.inputs, options.inputName, 'inputs');
  const { dims } = output;
  if (dims.length !== 1 && dims.length !== 2) {
    fail(`logPredictions: outputs must be [batch, classes] scores or [batch] class ids, got shape [${dims}]`);
  }
  const count = dims[0];
  const classes = dims.length === 2 ? dims[1] : undefined;
  const values = numericView(output);
  if (!values) fail(`logPredictions: cannot read the ${output.type} outputs as numbers`);
  if (input && input.dims[0] !== count) {
    fail(`logPredictions: inputs hold ${input.dims[0]} samples but outputs ${count}`);
  }
  const { classNames } = options;
  if (classNames !== undefined && classes !== undefined && classNames.length !== classes) {
    fail(`logPredictions: ${classNames.length} classNames for ${classes} output classes`);
  }
  const labels = options.labels === undefined ? undefined : labelIndices(options.labels, count, classNames);
  const topK = options.topK ?? 3;
  if (!Number.isInteger(topK) || topK < 1) fail(`logPredictions: topK must be a positive integer, got ${topK}`);

  const name = (c: number) => classNames?.[c] ?? String(c);
  // Loaded on first use: watch() alone never loads sharp.
  const media = await import('@runlog/media');
  if (count > media.MAX_TABLE_ROWS) {
    fail(`logPredictions: ${count} samples, but a table holds at most ${media.MAX_TABLE_ROWS}: log a slice`);
  }
  const inputCells = input ? inputColumn(input, options.toImage, media.Image) : undefined;
  const columns = ['index'];
  if (inputCells) columns.push('input');
  columns.push('prediction', 'score', 'top_k');
  if (labels) columns.push('label', 'correct');
  const table = new media.Table({ columns });
  let correct = 0;
  for (let i = 0; i < count; i++) {
    const ranked = classes === undefined ? [{ c: Number(values[i]), p: Number.NaN }] : rank(values, i, classes);
    const best = ranked[0];
    const row: TableCell[] = [i];
    if (inputCells) {
      const score = Number.isNaN(best.p) ? '' : ` ${best.p.toFixed(2)}`;
      row.push(inputCells(i, `${name(best.c)}${score}${labels ? ` · label ${name(labels[i])}` : ''}`));
    }
    row.push(name(best.c), Number.isNaN(best.p) ? null : best.p);
    row.push(ranked.slice(0, topK).map((r) => ({ class: name(r.c), score: Number.isNaN(r.p) ? null : r.p })));
    if (labels) {
      row.push(name(labels[i]), labels[i] === best.c);
      if (labels[i] === best.c) correct++;
    }
    table.addData(...row);
  }
  const data: Record<string, unknown> = { [key]: table };
  if (labels && count > 0) data[`${key}/accuracy`] = correct / count;
  run.log(data, options.step === undefined ? undefined : { step: options.step });
  return table;
}

function fail(message: string): never {
  throw new InvalidValueError(message, 'INVALID_ARGUMENT');
}

function isTensor(value: unknown): value is OrtTensorLike {
  const v = value as Partial<OrtTensorLike> | null;
  return typeof v === 'object' && v !== null && typeof v.type === 'string' && Array.isArray(v.dims);
}

function pickTensor(
  value: OrtTensorLike | TensorMap,
  name: string | undefined,
  what: string,
): OrtTensorLike | undefined {
  if (value === undefined || value === null) return undefined;
  if (isTensor(value)) return value;
  if (typeof value !== 'object') fail(`logPredictions: ${what} must be a tensor or a map of tensors`);
  const map = value as TensorMap;
  const chosen = name ?? Object.keys(map)[0];
  const tensor = chosen === undefined ? undefined : map[chosen];
  if (!isTensor(tensor)) {
    fail(`logPredictions: ${what} has no tensor ${JSON.stringify(chosen)} (it has ${Object.keys(map).join(', ')})`);
  }
  return tensor;
}

function labelIndices(
  labels: ArrayLike<number> | readonly string[],
  count: number,
  classNames: readonly string[] | undefined,
): number[] {
  if (labels.length !== count) fail(`logPredictions: ${labels.length} labels for ${count} samples`);
  return Array.from(labels as ArrayLike<number | string>, (label, i) => {
    if (typeof label === 'number') return label;
    const index = classNames?.indexOf(label) ?? -1;
    if (index < 0) fail(`logPredictions: label ${i} "${label}" is not one of classNames`);
    return index;
  });
}

/** The classes of sample `i` by descending probability; logits go through a softmax first. */
function rank(values: ArrayLike<number>, i: number, classes: number): Array<{ c: number; p: number }> {
  const row = Array.from({ length: classes }, (_, c) => values[i * classes + c]);
  let sum = 0;
  let probabilities = true;
  for (const v of row) {
    if (!(v >= 0 && v <= 1)) probabilities = false;
    sum += v;
  }
  if (!probabilities || Math.abs(sum - 1) > 1e-3) {
    const max = Math.max(...row.filter((v) => !Number.isNaN(v)));
    const exp = row.map((v) => Math.exp(v - max));
    const total = exp.reduce((a, b) => a + (Number.isNaN(b) ? 0 : b), 0);
    for (let c = 0; c < classes; c++) row[c] = exp[c] / total;
  }
  return row.map((p, c) => ({ c, p })).sort((a, b) => (Number.isNaN(a.p) ? 1 : Number.isNaN(b.p) ? -1 : b.p - a.p));
}

/** A function giving the input cell of sample i: an image for image-shaped inputs, else the raw values. */
function inputColumn(
  input: OrtTensorLike,
  toImage: LogPredictionsOptions['toImage'],
  ImageClass: typeof Image,
): ((i: number, caption: string) => TableCell) | undefined {
  const values = numericView(input);
  if (!values) return undefined;
  const sampleDims = input.dims.slice(1);
  const size = sampleDims.reduce((a, b) => a * b, 1);
  const sample = (i: number) => Float64Array.from({ length: size }, (_, j) => values[i * size + j]);
  if (typeof toImage === 'function') return (i) => toImage({ index: i, data: sample(i), dims: sampleDims });
  const layout = toImage === false ? undefined : imageLayoutOf(input.dims);
  if (!layout) return (i) => (size <= MAX_INPUT_VALUES ? Array.from(sample(i)) : `[${sampleDims}] values`);
  return (i, caption) => new ImageClass(scaleToUnit(sample(i)), { ...layout, caption });
}

/** Scales one sample to [0, 1] by its own min and max (NaN becomes 0); already in [0, 1] stays as is. */
function scaleToUnit(data: Float64Array): Float32Array {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of data) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const inUnit = min >= 0 && max <= 1;
  const span = max - min;
  return Float32Array.from(data, (v) => {
    if (!Number.isFinite(v)) return 0;
    if (inUnit) return v;
    return span > 0 ? (v - min) / span : 0;
  });
}
