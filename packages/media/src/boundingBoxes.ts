import type { JsonObject } from '@runlog/core';
import { type ClassLabels, normalizeClassLabels } from './classLabels.js';
import { MediaInvalidError } from './errors/mediaInvalidError.js';

/** Corners, or a middle point with a size. */
export type BoxPosition =
  | { minX: number; maxX: number; minY: number; maxY: number }
  | { middle: [number, number]; width: number; height: number };

/** One box, as wandb's `box_data` entries (camelCase). */
export interface BoundingBox {
  position: BoxPosition;
  /** 'pixel' for pixel coordinates; fractions of the image size otherwise (the default, as wandb). */
  domain?: 'pixel' | 'fraction';
  classId: number;
  boxCaption?: string;
  scores?: Record<string, number>;
}

export interface BoundingBoxGroup {
  boxData: BoundingBox[];
  /** Labels of the class ids; defaults to the image's `classes`. */
  classLabels?: ClassLabels;
}

/** Validates a group of boxes and returns the JSON written inline in the image reference. */
export function checkBoxes(name: string, group: BoundingBoxGroup, defaultLabels: ClassLabels | undefined): JsonObject {
  const what = `Image boxes "${name}"`;
  if (typeof group !== 'object' || group === null || !Array.isArray(group.boxData)) {
    throw new MediaInvalidError(`${what}: expected { boxData: [...], classLabels }`);
  }
  const labels = group.classLabels ?? defaultLabels;
  if (!labels) throw new MediaInvalidError(`${what}: give classLabels (or the image's classes) to name the class ids`);
  const classLabels = normalizeClassLabels(labels, what);
  const boxData = group.boxData.map((box, i) => checkBox(box, classLabels, `${what}, box ${i}`));
  return { boxData, classLabels };
}

function checkBox(box: BoundingBox, classLabels: Record<string, string>, what: string): JsonObject {
  if (typeof box !== 'object' || box === null || typeof box.position !== 'object' || box.position === null) {
    throw new MediaInvalidError(`${what}: expected { position, classId }`);
  }
  const domain = box.domain ?? 'fraction';
  if (domain !== 'pixel' && domain !== 'fraction')
    throw new MediaInvalidError(`${what}: domain must be 'pixel' or 'fraction'`);
  if (!Number.isInteger(box.classId) || !(String(box.classId) in classLabels)) {
    throw new MediaInvalidError(`${what}: classId ${box.classId} is not in the class list`);
  }
  const out: JsonObject = { position: checkPosition(box.position, what), domain, classId: box.classId };
  if (box.boxCaption !== undefined) out.boxCaption = String(box.boxCaption);
  if (box.scores !== undefined) {
    const scores: JsonObject = {};
    for (const [key, score] of Object.entries(box.scores)) {
      if (!Number.isFinite(score)) throw new MediaInvalidError(`${what}: score "${key}" must be a finite number`);
      scores[key] = score;
    }
    out.scores = scores;
  }
  return out;
}

function checkPosition(position: BoxPosition, what: string): JsonObject {
  const finite = (...values: unknown[]) => values.every((v) => typeof v === 'number' && Number.isFinite(v));
  if ('middle' in position) {
    const { middle, width, height } = position;
    if (
      !Array.isArray(middle) ||
      middle.length !== 2 ||
      !finite(middle[0], middle[1], width, height) ||
      width < 0 ||
      height < 0
    ) {
      throw new MediaInvalidError(
        `${what}: position { middle: [x, y], width, height } needs finite numbers, sizes >= 0`,
      );
    }
    return { middle: [middle[0], middle[1]], width, height };
  }
  const { minX, maxX, minY, maxY } = position;
  if (!finite(minX, maxX, minY, maxY) || minX > maxX || minY > maxY) {
    throw new MediaInvalidError(`${what}: position { minX, maxX, minY, maxY } needs finite numbers with min <= max`);
  }
  return { minX, maxX, minY, maxY };
}
