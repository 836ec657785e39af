import { computeHistogram, isMediaValue, type MediaValue } from '@runlog/core';
import { isTensorLike } from '@runlog/media';
import { visitStoredValue } from '../values/storedValue.js';
import type { SummaryTarget } from '../values/summaryTarget.js';

/** Numeric arrays longer than this are histograms, as runlog stores them (docs/FORMAT.md, "Values"). */
const HISTOGRAM_ARRAY_THRESHOLD = 32;
/** Media kinds TensorBoard can show; others (video, audio, tables, plots...) are skipped without encoding. */
const TENSORBOARD_MEDIA = new Set(['image', 'histogram', 'text']);

/** A media value (or gallery) found in a logged dict, to encode asynchronously. */
export interface LiveMedia {
  key: string;
  value: MediaValue | MediaValue[];
}

function isNumericArray(value: unknown[]): value is number[] {
  for (const item of value) if (typeof item !== 'number') return false;
  return true;
}

/**
 * Sends a value as it was passed to `run.log` (anything but a number, which the sink writes directly) to a summary
 * target, turning it into what runlog stores first: typed arrays, long numeric arrays and tensors become numpy
 * histograms, a rank-0 tensor a number, bigints numbers, nested objects one tag per leaf. Media values TensorBoard
 * can show are returned in `media` for the caller to encode asynchronously.
 */
export function visitLiveValue(target: SummaryTarget, tag: string, value: unknown, media: LiveMedia[]): void {
  if (typeof value === 'number') {
    target.scalar(tag, value);
    return;
  }
  if (typeof value === 'bigint') {
    target.scalar(tag, Number(value));
    return;
  }
  if (typeof value !== 'object' || value === null || value instanceof Date) {
    if (value !== undefined) visitStoredValue(target, tag, value);
    return;
  }
  if (isMediaValue(value) || (Array.isArray(value) && value.length > 0 && value.every(isMediaValue))) {
    const kind = Array.isArray(value) ? (value[0] as MediaValue).mediaKind : value.mediaKind;
    if (TENSORBOARD_MEDIA.has(kind)) media.push({ key: tag, value: value as MediaValue | MediaValue[] });
    else target.skip(kind);
    return;
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    if (value instanceof BigInt64Array || value instanceof BigUint64Array) target.skip('bigint array');
    else histogramOf(target, tag, value as unknown as ArrayLike<number>);
    return;
  }
  if (Array.isArray(value)) {
    if (value.length > HISTOGRAM_ARRAY_THRESHOLD && isNumericArray(value)) histogramOf(target, tag, value);
    else target.skip('array');
    return;
  }
  if (isTensorLike(value) && typeof value.dataSync === 'function') {
    if (value.dtype === 'string') {
      target.skip('string tensor');
      return;
    }
    const data = value.dataSync() as ArrayLike<number>;
    if (value.shape.length === 0) target.scalar(tag, Number(data[0]));
    else histogramOf(target, tag, data);
    return;
  }
  for (const key of Object.keys(value))
    visitLiveValue(target, `${tag}.${key}`, (value as Record<string, unknown>)[key], media);
}

function histogramOf(target: SummaryTarget, tag: string, values: ArrayLike<number>): void {
  const histogram = computeHistogram(values);
  if (histogram.values.length === 0) target.skip('histogram (no finite value)');
  else target.histogram(tag, histogram.bins, histogram.values);
}
