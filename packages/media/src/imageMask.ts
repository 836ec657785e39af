import { type ClassLabels, normalizeClassLabels } from './classLabels.js';
import { MediaInvalidError } from './errors/mediaInvalidError.js';

/** A segmentation mask: one class id per pixel (row-major, height x width), written as its own PNG. */
export interface ImageMask {
  /** Class ids 0..255, row-major; or one array per row. */
  maskData: ArrayLike<number> | ArrayLike<number>[];
  /** Labels of the class ids; defaults to the image's `classes`. Every id in `maskData` must have one. */
  classLabels?: ClassLabels;
}

/** A validated mask: 8-bit class ids, its size, its labels. */
export interface CheckedMask {
  ids: Uint8Array;
  /** Width and height when the mask gave rows; otherwise known from the image. */
  width?: number;
  height?: number;
  classLabels: Record<string, string>;
}

export function checkMask(name: string, mask: ImageMask, defaultLabels: ClassLabels | undefined): CheckedMask {
  const what = `Image mask "${name}"`;
  if (typeof mask !== 'object' || mask === null || mask.maskData == null) {
    throw new MediaInvalidError(`${what}: expected { maskData, classLabels }`);
  }
  const labels = mask.classLabels ?? defaultLabels;
  if (!labels) throw new MediaInvalidError(`${what}: give classLabels (or the image's classes) to name the ids`);
  const classLabels = normalizeClassLabels(labels, what);
  const { values, width, height } = flattenRows(mask.maskData, what);
  const ids = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const id = values[i];
    if (!Number.isInteger(id) || id < 0 || id > 255) {
      throw new MediaInvalidError(`${what}: pixel ${i} has class id ${id}; ids must be integers from 0 to 255`);
    }
    if (!(String(id) in classLabels)) {
      throw new MediaInvalidError(`${what}: pixel ${i} has class id ${id}, which is not in the class list`);
    }
    ids[i] = id;
  }
  return { ids, width, height, classLabels };
}

/** Checks a mask covers every pixel of a width x height image. */
export function checkMaskSize(name: string, mask: CheckedMask, width: number, height: number): void {
  const sized = mask.width === undefined || (mask.width === width && mask.height === height);
  if (!sized || mask.ids.length !== width * height) {
    const shape = mask.width === undefined ? `${mask.ids.length} values` : `${mask.height}x${mask.width}`;
    throw new MediaInvalidError(`Image mask "${name}": ${shape} does not match the ${height}x${width} image`);
  }
}

function flattenRows(
  data: ImageMask['maskData'],
  what: string,
): { values: ArrayLike<number>; width?: number; height?: number } {
  if (data.length > 0 && typeof data[0] === 'object' && data[0] !== null) {
    const rows = data as ArrayLike<number>[];
    const width = rows[0].length;
    const values = new Array<number>(rows.length * width);
    for (let r = 0; r < rows.length; r++) {
      if (rows[r].length !== width)
        throw new MediaInvalidError(`${what}: row ${r} has ${rows[r].length} values, row 0 has ${width}`);
      for (let c = 0; c < width; c++) values[r * width + c] = rows[r][c];
    }
    return { values, width, height: rows.length };
  }
  return { values: data as ArrayLike<number> };
}
