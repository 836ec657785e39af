import { getJson } from './api.js';
import { h, replace } from './element.js';
import { formatValue } from './format.js';
import type { HistogramsOverTime } from './types.js';

/** Viridis-like ramp: dark blue for few values, yellow for many. */
function ramp(t: number): [number, number, number] {
  const stops: Array<[number, number, number]> = [
    [68, 1, 84],
    [59, 82, 139],
    [33, 145, 140],
    [94, 201, 98],
    [253, 231, 37],
  ];
  const x = Math.min(0.9999, Math.max(0, t)) * (stops.length - 1);
  const i = Math.floor(x);
  const f = x - i;
  const [a, b] = [stops[i], stops[i + 1]];
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

/**
 * The 64-bin histograms of one key across steps as a heat map: x is the step, y the value, colour the count
 * (log scale). Shows how a layer's weights or gradients spread out or collapse during training.
 */
export function histogramHeatmap(run: string, key: string, label: string): HTMLElement {
  const canvas = h('canvas', { class: 'heatmap', width: 600, height: 200 });
  const readout = h('div', { class: 'muted heatmap-readout' }, ' ');
  const axis = h('div', { class: 'heatmap-axis muted' });
  const container = h(
    'div',
    { class: 'heatmap-panel', 'data-key': key },
    h('div', { class: 'chart-title' }, label),
    canvas,
    axis,
    readout,
  );
  getJson<HistogramsOverTime>(`/api/runs/${run}/histograms`, { key, maxSteps: 300 })
    .then((data) => draw(canvas, axis, readout, data))
    .catch((error: Error) => replace(container, `cannot load histograms: ${error.message}`));
  return container;
}

function draw(canvas: HTMLCanvasElement, axis: HTMLElement, readout: HTMLElement, data: HistogramsOverTime): void {
  const ctx = canvas.getContext('2d');
  if (!ctx || !data.steps.length) {
    readout.textContent = 'no histograms logged';
    return;
  }
  const columns = data.steps.length;
  const image = ctx.createImageData(columns, data.bins);
  let max = 0;
  for (const column of data.counts) for (const c of column) max = Math.max(max, c);
  const scale = Math.log1p(max) || 1;
  for (let s = 0; s < columns; s++) {
    for (let b = 0; b < data.bins; b++) {
      const count = data.counts[s][b];
      const [r, g, bl] = count > 0 ? ramp(Math.log1p(count) / scale) : [250, 250, 250];
      const row = data.bins - 1 - b; // low values at the bottom
      const o = (row * columns + s) * 4;
      image.data[o] = r;
      image.data[o + 1] = g;
      image.data[o + 2] = bl;
      image.data[o + 3] = 255;
    }
  }
  const scratch = document.createElement('canvas');
  scratch.width = columns;
  scratch.height = data.bins;
  scratch.getContext('2d')?.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(scratch, 0, 0, canvas.width, canvas.height);
  canvas.dataset.steps = String(columns);
  canvas.dataset.rendered = 'true';
  axis.textContent = `steps ${data.steps[0]} – ${data.steps[columns - 1]} · values ${formatValue(data.low)} – ${formatValue(data.high)}`;
  canvas.addEventListener('mousemove', (event) => {
    const rect = canvas.getBoundingClientRect();
    const s = Math.min(columns - 1, Math.floor(((event.clientX - rect.left) / rect.width) * columns));
    const b =
      data.bins - 1 - Math.min(data.bins - 1, Math.floor(((event.clientY - rect.top) / rect.height) * data.bins));
    const width = (data.high - data.low) / data.bins;
    readout.textContent = `step ${data.steps[s]} · [${formatValue(data.low + b * width)}, ${formatValue(data.low + (b + 1) * width)}) · ${formatValue(Math.round(data.counts[s][b] * 100) / 100)}`;
  });
}
