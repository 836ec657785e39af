import type { JsonObject } from '@runlog/core';
import type { SummaryTarget } from './summaryTarget.js';

/**
 * Sends one value as runlog stores it (a history value, decoded: numbers with NaN and ±Infinity restored) to a
 * summary target: numbers and booleans are scalars, strings and Text values text, histograms histograms,
 * images and galleries images. Nested objects become one tag per leaf, joined with '.' (runlog's key path, so
 * an imported `val.acc` reads back at the same path). Anything else is skipped and counted.
 */
export function visitStoredValue(target: SummaryTarget, tag: string, value: unknown): void {
  switch (typeof value) {
    case 'number':
      target.scalar(tag, value);
      return;
    case 'boolean':
      target.scalar(tag, value ? 1 : 0);
      return;
    case 'string':
      target.text(tag, value);
      return;
    case 'object':
      break;
    default:
      target.skip(typeof value);
      return;
  }
  if (value === null || value instanceof Date || Array.isArray(value)) {
    target.skip(value === null ? 'null' : Array.isArray(value) ? 'array' : 'date');
    return;
  }
  const object = value as JsonObject;
  const type = object._type;
  if (type === undefined) {
    for (const key of Object.keys(object)) visitStoredValue(target, `${tag}.${key}`, object[key]);
    return;
  }
  switch (type) {
    case 'histogram': {
      const bins = object.bins as number[] | undefined;
      const counts = object.values as number[] | undefined;
      if (!Array.isArray(bins) || !Array.isArray(counts) || counts.length === 0 || bins.length !== counts.length + 1)
        target.skip('histogram (empty)');
      else target.histogram(tag, bins, counts);
      return;
    }
    case 'image-file':
      target.images(tag, [object]);
      return;
    case 'image-list': {
      const items = (object.items as JsonObject[] | undefined)?.filter((item) => item?._type === 'image-file');
      if (items && items.length > 0) target.images(tag, items);
      else target.skip('image-list (empty)');
      return;
    }
    case 'text':
      if (typeof object.text === 'string') target.text(tag, object.text);
      else target.skip('text');
      return;
    default:
      target.skip(String(type));
  }
}
