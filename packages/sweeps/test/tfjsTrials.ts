import * as tf from '@tensorflow/tfjs';

/** A deterministic toy classification set: class = argmax of a fixed linear map of 4 inputs. */
export function toyData(samples: number) {
  let a = 3;
  const random = () => {
    a = (a * 1103515245 + 12345) % 2147483648;
    return a / 2147483648;
  };
  const xs = new Float32Array(samples * 4);
  const labels = new Int32Array(samples);
  for (let i = 0; i < samples; i++) {
    const scores = [0, 0, 0];
    for (let j = 0; j < 4; j++) xs[i * 4 + j] = random() * 2 - 1;
    for (let c = 0; c < 3; c++) for (let j = 0; j < 4; j++) scores[c] += xs[i * 4 + j] * Math.sin(1 + c * 4 + j);
    labels[i] = scores.indexOf(Math.max(...scores));
  }
  return { x: tf.tensor2d(xs, [samples, 4]), y: tf.oneHot(tf.tensor1d(labels, 'int32'), 3).toFloat() };
}

/** A small dense classifier with seeded initialisers: the same (lr, units) always trains the same way. */
export function classifier(lr: number, units: number): tf.Sequential {
  const model = tf.sequential();
  model.add(
    tf.layers.dense({
      inputShape: [4],
      units,
      activation: 'relu',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
    }),
  );
  model.add(
    tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
  );
  model.compile({ optimizer: tf.train.adam(lr), loss: 'categoricalCrossentropy' });
  return model;
}
