/// <reference lib="dom" />
// The example page: trains a small classifier of 2-D points with TensorFlow.js in the browser, logs its metrics,
// a checkpoint per epoch and a picture of its decision regions (a canvas) to runlog, and shows the upload.

import { callbacks, Image, init, resumeUploads } from '@runlog/browser';
import * as tf from '@tensorflow/tfjs';

interface PageConfig {
  host: string;
  apiKey: string;
  dashboard: string;
}

const config = (await (await fetch('/config.json')).json()) as PageConfig;
const canvas = document.querySelector('canvas') as HTMLCanvasElement;
const status = document.querySelector('#status') as HTMLElement;
const button = document.querySelector('button') as HTMLButtonElement;
(document.querySelector('#dashboard') as HTMLAnchorElement).href = config.dashboard;

// Uploads an earlier visit left (a closed tab, the server down) are finished first.
void resumeUploads({ host: config.host, apiKey: config.apiKey }).then((report) => {
  if (report.completed.length > 0) status.textContent = `finished the upload of ${report.completed.join(', ')}`;
});

/** Two interleaved half-moons: a problem a straight line cannot solve. */
function moons(n: number): { xs: tf.Tensor2D; ys: tf.Tensor2D } {
  const points: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const angle = Math.PI * Math.random();
    const upper = i % 2 === 0;
    const x = upper ? Math.cos(angle) : 1 - Math.cos(angle);
    const y = upper ? Math.sin(angle) : 0.5 - Math.sin(angle);
    points.push([x + (Math.random() - 0.5) * 0.2, y + (Math.random() - 0.5) * 0.2]);
    labels.push(upper ? 1 : 0);
  }
  return { xs: tf.tensor2d(points), ys: tf.tensor2d(labels, [n, 1]) };
}

/** Paints the model's probability over the plane on the canvas. */
function paint(model: tf.LayersModel): void {
  const size = canvas.width;
  const grid = tf.tidy(() => {
    const axis = tf.linspace(-1.5, 2.5, size);
    const [gx, gy] = tf.meshgrid(axis, tf.linspace(2, -1.5, size));
    return model.predict(tf.stack([gx.flatten(), gy.flatten()], 1)) as tf.Tensor;
  });
  const p = grid.dataSync();
  grid.dispose();
  const context = canvas.getContext('2d') as CanvasRenderingContext2D;
  const image = context.createImageData(size, size);
  for (let i = 0; i < p.length; i++) {
    image.data[i * 4] = 255 * p[i];
    image.data[i * 4 + 1] = 96;
    image.data[i * 4 + 2] = 255 * (1 - p[i]);
    image.data[i * 4 + 3] = 255;
  }
  context.putImageData(image, 0, 0);
}

async function train(): Promise<void> {
  button.disabled = true;
  const epochs = 20;
  const run = await init({
    project: 'browser-training',
    host: config.host,
    apiKey: config.apiKey,
    config: { epochs, hidden: 16, lr: 0.05 },
  });
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [2], units: 16, activation: 'relu' }),
      tf.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.05), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const { xs, ys } = moons(400);
  const regions = new tf.CustomCallback({
    onEpochEnd: async (epoch, logs) => {
      paint(model);
      run.log({ 'regions/epoch': epoch, regions: new Image(canvas, { caption: `epoch ${epoch}` }) });
      const upload = run.status().upload;
      status.textContent = `epoch ${epoch + 1}/${epochs}  loss ${logs?.loss?.toFixed(3)}  upload pending ${upload?.pendingBytes ?? 0} bytes${upload?.lastError ? ` (${upload.lastError})` : ''}`;
    },
  });
  await model.fit(xs, ys, {
    epochs,
    batchSize: 32,
    validationSplit: 0.2,
    callbacks: [...callbacks({ run, checkpoint: { monitor: 'val_loss' } }), regions],
  });
  status.textContent = 'finishing the upload...';
  await run.finish();
  const upload = run.status().upload;
  status.textContent = upload?.complete
    ? `run ${run.id} is on the server: open the dashboard`
    : `run ${run.id} is stored in this page; its upload goes on (or on your next visit)`;
  button.disabled = false;
}

button.addEventListener('click', () => void train());
