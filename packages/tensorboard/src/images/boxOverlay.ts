import type { JsonObject } from '@runlog/core';
import sharp from 'sharp';
import { classColor } from './classPalette.js';

const LINE_WIDTH = 2;

interface PixelBox {
  left: number;
  top: number;
  right: number;
  bottom: number;
  classId: number;
}

/** A box of @runlog/media's reference (`position` by corners or middle and size, fraction or pixel domain) in pixels. */
function toPixels(box: JsonObject, width: number, height: number): PixelBox | undefined {
  const position = box.position as Record<string, unknown> | undefined;
  if (!position) return undefined;
  const scaleX = box.domain === 'pixel' ? 1 : width;
  const scaleY = box.domain === 'pixel' ? 1 : height;
  let minX: number;
  let maxX: number;
  let minY: number;
  let maxY: number;
  if (Array.isArray(position.middle)) {
    const [x, y] = position.middle as number[];
    const w = Number(position.width);
    const h = Number(position.height);
    [minX, maxX, minY, maxY] = [x - w / 2, x + w / 2, y - h / 2, y + h / 2];
  } else {
    [minX, maxX, minY, maxY] = [position.minX, position.maxX, position.minY, position.maxY].map(Number);
  }
  const clampX = (v: number) => Math.min(width - 1, Math.max(0, Math.round(v * scaleX)));
  const clampY = (v: number) => Math.min(height - 1, Math.max(0, Math.round(v * scaleY)));
  const pixels = { left: clampX(minX), right: clampX(maxX), top: clampY(minY), bottom: clampY(maxY) };
  if (![pixels.left, pixels.right, pixels.top, pixels.bottom].every(Number.isFinite)) return undefined;
  return { ...pixels, classId: Number(box.classId) || 0 };
}

/** The image with the outlines of `boxes` (a group's `boxData`) drawn in their class colours, as a PNG. */
export async function drawBoxes(image: Uint8Array, boxes: JsonObject[]): Promise<Uint8Array> {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  const paint = (x: number, y: number, color: [number, number, number]) => {
    const at = (y * width + x) * 3;
    data[at] = color[0];
    data[at + 1] = color[1];
    data[at + 2] = color[2];
  };
  for (const raw of boxes) {
    const box = toPixels(raw, width, height);
    if (!box) continue;
    const color = classColor(box.classId === 0 ? 1 : box.classId);
    for (let t = 0; t < LINE_WIDTH; t++) {
      for (let x = box.left; x <= box.right; x++) {
        paint(x, Math.min(height - 1, box.top + t), color);
        paint(x, Math.max(0, box.bottom - t), color);
      }
      for (let y = box.top; y <= box.bottom; y++) {
        paint(Math.min(width - 1, box.left + t), y, color);
        paint(Math.max(0, box.right - t), y, color);
      }
    }
  }
  const png = await sharp(data, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}
