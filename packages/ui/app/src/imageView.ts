import { fileUrl } from './api.js';
import { h } from './element.js';
import type { MediaRef } from './types.js';

interface Box {
  position: {
    minX?: number;
    maxX?: number;
    minY?: number;
    maxY?: number;
    middle?: [number, number];
    width?: number;
    height?: number;
  };
  domain?: 'pixel' | string;
  class_id?: number;
  classId?: number;
  box_caption?: string;
  boxCaption?: string;
  caption?: string;
  scores?: Record<string, number>;
}

interface BoxGroup {
  box_data?: Box[];
  boxData?: Box[];
  class_labels?: Record<string, string>;
  classLabels?: Record<string, string>;
}

interface MaskGroup {
  path?: string;
  class_labels?: Record<string, string>;
  classLabels?: Record<string, string>;
}

const CLASS_COLORS = [
  '#e6194b',
  '#3cb44b',
  '#ffe119',
  '#4363d8',
  '#f58231',
  '#911eb4',
  '#46f0f0',
  '#f032e6',
  '#bcf60c',
  '#fabebe',
];
const classColor = (id: number) => CLASS_COLORS[Math.abs(id) % CLASS_COLORS.length];

/** An image with its bounding boxes and segmentation masks drawn over it (wandb's box_data / mask layout). */
export function imageView(run: string, ref: MediaRef): HTMLElement {
  const src = fileUrl(run, String(ref.path));
  const img = h('img', { src, alt: String(ref.caption ?? ref.path ?? ''), class: 'media-image' });
  const overlay = h('canvas', { class: 'media-overlay' });
  const frame = h('div', { class: 'media-frame' }, img, overlay);
  const boxes = (ref.boxes ?? {}) as Record<string, BoxGroup>;
  const masks = (ref.masks ?? {}) as Record<string, MaskGroup>;
  const hasOverlay = Object.keys(boxes).length > 0 || Object.keys(masks).length > 0;
  if (hasOverlay) {
    // Drawn once the image is loaded and laid out, and again when its displayed size changes.
    let drawnWidth = 0;
    const draw = () => {
      if (!img.naturalWidth || !img.clientWidth || img.clientWidth === drawnWidth) return;
      drawnWidth = img.clientWidth;
      void drawOverlay(run, img, overlay, boxes, masks);
    };
    img.addEventListener('load', draw);
    new ResizeObserver(draw).observe(img);
  }
  return h(
    'figure',
    { class: 'media-item', 'data-path': String(ref.path ?? '') },
    frame,
    ref.caption ? h('figcaption', null, String(ref.caption)) : null,
  );
}

async function drawOverlay(
  run: string,
  img: HTMLImageElement,
  canvas: HTMLCanvasElement,
  boxes: Record<string, BoxGroup>,
  masks: Record<string, MaskGroup>,
): Promise<void> {
  // The overlay is drawn at the displayed size (not the image's), so captions stay legible on small images.
  const ratio = window.devicePixelRatio || 1;
  const width = Math.round((img.clientWidth || img.naturalWidth) * ratio);
  const height = Math.round((img.clientHeight || img.naturalHeight) * ratio);
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  for (const group of Object.values(masks)) {
    if (!group.path) continue;
    const mask = await loadImage(fileUrl(run, group.path)).catch(() => undefined);
    if (!mask) continue;
    const scratch = document.createElement('canvas');
    scratch.width = width;
    scratch.height = height;
    const sctx = scratch.getContext('2d', { willReadFrequently: true });
    if (!sctx) continue;
    sctx.imageSmoothingEnabled = false;
    sctx.drawImage(mask, 0, 0, width, height);
    const pixels = sctx.getImageData(0, 0, width, height);
    for (let i = 0; i < pixels.data.length; i += 4) {
      const id = pixels.data[i];
      if (id === 0) {
        pixels.data[i + 3] = 0;
        continue;
      }
      const color = classColor(id);
      pixels.data[i] = Number.parseInt(color.slice(1, 3), 16);
      pixels.data[i + 1] = Number.parseInt(color.slice(3, 5), 16);
      pixels.data[i + 2] = Number.parseInt(color.slice(5, 7), 16);
      pixels.data[i + 3] = 110;
    }
    sctx.putImageData(pixels, 0, 0);
    ctx.drawImage(scratch, 0, 0);
  }
  ctx.lineWidth = 2 * ratio;
  ctx.font = `${Math.round(11 * ratio)}px sans-serif`;
  for (const group of Object.values(boxes)) {
    const labels = group.class_labels ?? group.classLabels ?? {};
    for (const box of group.box_data ?? group.boxData ?? []) {
      const rect = boxRect(box, width, height);
      if (!rect) continue;
      const id = box.class_id ?? box.classId ?? 0;
      ctx.strokeStyle = classColor(id);
      ctx.strokeRect(rect.x, rect.y, rect.w, rect.h);
      const caption = box.boxCaption ?? box.box_caption ?? box.caption ?? labels[String(id)];
      if (caption) {
        ctx.fillStyle = classColor(id);
        const textWidth = ctx.measureText(caption).width;
        const textHeight = Number.parseInt(ctx.font, 10) + 2;
        ctx.fillRect(rect.x, Math.max(0, rect.y - textHeight), textWidth + 4, textHeight);
        ctx.fillStyle = '#fff';
        ctx.fillText(caption, rect.x + 2, Math.max(textHeight - 3, rect.y - 3));
      }
    }
  }
  canvas.dataset.drawn = 'true';
}

function boxRect(box: Box, width: number, height: number): { x: number; y: number; w: number; h: number } | undefined {
  const p = box.position;
  if (!p) return undefined;
  const sx = box.domain === 'pixel' ? 1 : width;
  const sy = box.domain === 'pixel' ? 1 : height;
  if (p.middle && p.width !== undefined && p.height !== undefined) {
    return {
      x: (p.middle[0] - p.width / 2) * sx,
      y: (p.middle[1] - p.height / 2) * sy,
      w: p.width * sx,
      h: p.height * sy,
    };
  }
  if (p.minX === undefined || p.maxX === undefined || p.minY === undefined || p.maxY === undefined) return undefined;
  return { x: p.minX * sx, y: p.minY * sy, w: (p.maxX - p.minX) * sx, h: (p.maxY - p.minY) * sy };
}

function loadImage(src: string): Promise<HTMLImageElement> {
  return new Promise((done, fail) => {
    const img = new Image();
    img.onload = () => done(img);
    img.onerror = fail;
    img.src = src;
  });
}
