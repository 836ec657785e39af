import sharp from 'sharp';
import { classColor } from './classPalette.js';

/**
 * A segmentation mask (a PNG of class ids, as @runlog/media writes it) as a colour PNG TensorBoard can show:
 * each class id gets its palette colour.
 */
export async function colorizeMask(maskPng: Uint8Array): Promise<{ png: Uint8Array; width: number; height: number }> {
  const { data, info } = await sharp(maskPng).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  const rgb = Buffer.alloc(info.width * info.height * 3);
  const palette = new Map<number, [number, number, number]>();
  for (let i = 0; i < info.width * info.height; i++) {
    const id = data[i];
    let color = palette.get(id);
    if (color === undefined) {
      color = classColor(id);
      palette.set(id, color);
    }
    rgb[i * 3] = color[0];
    rgb[i * 3 + 1] = color[1];
    rgb[i * 3 + 2] = color[2];
  }
  const png = await sharp(rgb, { raw: { width: info.width, height: info.height, channels: 3 } })
    .png()
    .toBuffer();
  return { png: new Uint8Array(png.buffer, png.byteOffset, png.byteLength), width: info.width, height: info.height };
}
