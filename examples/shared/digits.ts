/**
 * A synthetic handwritten-digits set, rendered locally with sharp: each sample is an SVG "0"-"9" in a random
 * font family, size, weight, rotation and offset, rasterised to a grayscale square (28x28 by default, like
 * MNIST: white digit on black). Deterministic for a given seed; nothing is downloaded.
 * @example
 * const { images, labels } = await renderDigits({ count: 1000, seed: 1 });
 * const xs = tf.tensor4d(images, [1000, 28, 28, 1]); const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
 */
import sharp from 'sharp';

export interface DigitsOptions {
  /** How many samples; labels cycle 0..9 in a shuffled order. */
  count: number;
  /** Seed of the pseudo-random draws (shapes, labels); the same seed gives the same pixels. Default 1. */
  seed?: number;
  /** Width and height in pixels. Default 28. */
  size?: number;
  /** Largest rotation either way, in degrees. Default 15. */
  maxRotation?: number;
  /** Largest shift either way, as a fraction of the size. Default 0.12. */
  maxShift?: number;
}

export interface Digits {
  /** count * size * size values in [0, 1], sample-major, row-major (NHWC with one channel). */
  images: Float32Array;
  /** The digit each sample shows. */
  labels: Int32Array;
  count: number;
  size: number;
}

const FONT_FAMILIES = ['sans-serif', 'serif', 'monospace'];
const FONT_WEIGHTS = ['normal', 'bold'];
/** Digits drawn per SVG document (see rasteriseSheet). */
const SHEET_TILES = 250;

/** Renders `count` digit images. A thousand take well under a second. */
export async function renderDigits(options: DigitsOptions): Promise<Digits> {
  const { count, seed = 1, size = 28, maxRotation = 15, maxShift = 0.12 } = options;
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
  const random = mulberry32(seed);
  const specs = Array.from({ length: count }, (_, i) => ({
    label: i % 10,
    family: FONT_FAMILIES[Math.floor(random() * FONT_FAMILIES.length)],
    weight: FONT_WEIGHTS[Math.floor(random() * FONT_WEIGHTS.length)],
    fontSize: size * (0.7 + random() * 0.25),
    rotation: (random() * 2 - 1) * maxRotation,
    dx: (random() * 2 - 1) * maxShift * size,
    dy: (random() * 2 - 1) * maxShift * size,
    order: random(),
  }));
  specs.sort((a, b) => a.order - b.order); // shuffle the labels deterministically

  const images = new Float32Array(count * size * size);
  const labels = new Int32Array(count);
  const sheets: Array<Promise<void>> = [];
  for (let start = 0; start < count; start += SHEET_TILES) {
    const chunk = specs.slice(start, start + SHEET_TILES);
    sheets.push(
      rasteriseSheet(chunk, size).then((gray) => {
        for (let j = 0; j < chunk.length; j++) {
          const offset = (start + j) * size * size;
          for (let p = 0; p < size * size; p++) images[offset + p] = gray[j * size * size + p] / 255;
          labels[start + j] = chunk[j].label;
        }
      }),
    );
  }
  await Promise.all(sheets);
  return { images, labels, count, size };
}

interface DigitSpec {
  label: number;
  family: string;
  weight: string;
  fontSize: number;
  rotation: number;
  dx: number;
  dy: number;
}

/**
 * Renders up to SHEET_TILES digits in one SVG (one tile each, stacked vertically so a tile's rows are
 * contiguous in the output) and returns the tiles' pixels. One sharp call per sheet instead of per digit is
 * what makes this fast: librsvg's per-document setup dominates for 28-pixel images.
 */
async function rasteriseSheet(specs: DigitSpec[], size: number): Promise<Uint8Array> {
  const c = size / 2;
  // A nested <svg> clips its content, so a rotated or shifted digit never bleeds into the next tile.
  const tiles = specs.map(
    (spec, i) =>
      `<svg y="${i * size}" width="${size}" height="${size}">` +
      `<text x="${c + spec.dx}" y="${c + spec.dy}" font-family="${spec.family}" font-weight="${spec.weight}" ` +
      `font-size="${spec.fontSize.toFixed(2)}" fill="white" text-anchor="middle" dominant-baseline="central" ` +
      `transform="rotate(${spec.rotation.toFixed(2)} ${c} ${c})">${spec.label}</text></svg>`,
  );
  const height = specs.length * size;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${height}">` +
    `<rect width="100%" height="100%" fill="black"/>${tiles.join('')}</svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).greyscale().raw().toBuffer({ resolveWithObject: true });
  if (info.channels === 1) return data;
  // greyscale() can keep an alpha channel: take the first channel of each pixel.
  const gray = new Uint8Array(size * height);
  for (let p = 0; p < gray.length; p++) gray[p] = data[p * info.channels];
  return gray;
}

/** A small, fast, seedable PRNG (mulberry32): good enough to vary drawings, not for cryptography. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
