import type { JsonObject } from '@runlog/core';
import type { EventEncoder } from '../proto/eventEncoder.js';
import { countSkip, type SkipCounts, type SummaryTarget } from './summaryTarget.js';

/** How scalars are written: TensorBoard's current form (a float64 tensor) or the legacy float32 `simple_value`. */
export type ScalarForm = 'tensor' | 'simple_value';

/**
 * A summary target writing into the event an encoder has open. Images are collected for the caller, which reads
 * and encodes them asynchronously and writes them as events of their own at the same step.
 */
export class EncoderTarget implements SummaryTarget {
  readonly skipped: SkipCounts = {};
  pendingImages: Array<{ tag: string; refs: JsonObject[] }> = [];

  constructor(
    private readonly encoder: EventEncoder,
    private readonly scalarForm: ScalarForm = 'tensor',
  ) {}

  scalar(tag: string, value: number): void {
    if (this.scalarForm === 'tensor') this.encoder.scalar(tag, value);
    else this.encoder.simpleValue(tag, value);
  }

  histogram(tag: string, edges: ArrayLike<number>, counts: ArrayLike<number>): void {
    this.encoder.histogram(tag, edges, counts);
  }

  text(tag: string, text: string): void {
    this.encoder.text(tag, text);
  }

  images(tag: string, refs: JsonObject[]): void {
    this.pendingImages.push({ tag, refs });
  }

  skip(kind: string): void {
    countSkip(this.skipped, kind);
  }

  /** The images collected so far, handed over (and forgotten here). */
  takeImages(): Array<{ tag: string; refs: JsonObject[] }> {
    const images = this.pendingImages;
    this.pendingImages = [];
    return images;
  }
}
