import * as tf from '@tensorflow/tfjs';

/** A small dense classifier with seeded initializers: the same seed gives the same weights on every backend. */
export function tinyClassifier(options: { seed?: number; inputs?: number; classes?: number; lr?: number } = {}) {
  const { seed = 7, inputs = 4, classes = 3, lr = 0.05 } = options;
  const model = tf.sequential();
  model.add(
    tf.layers.dense({
      inputShape: [inputs],
      units: 8,
      activation: 'relu',
      kernelInitializer: tf.initializers.glorotUniform({ seed }),
      biasInitializer: 'zeros',
    }),
  );
  model.add(
    tf.layers.dense({
      units: classes,
      activation: 'softmax',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }),
    }),
  );
  model.compile({ optimizer: tf.train.adam(lr), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** A deterministic toy data set: class = argmax of a fixed linear map of the inputs. */
export function toyData(samples: number, options: { inputs?: number; classes?: number; seed?: number } = {}) {
  const { inputs = 4, classes = 3, seed = 1 } = options;
  let a = seed;
  const random = () => {
    a = (a * 1103515245 + 12345) % 2147483648;
    return a / 2147483648;
  };
  const xs = new Float32Array(samples * inputs);
  const labels = new Int32Array(samples);
  for (let i = 0; i < samples; i++) {
    let best = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < inputs; j++) xs[i * inputs + j] = random() * 2 - 1;
    for (let c = 0; c < classes; c++) {
      let score = 0;
      for (let j = 0; j < inputs; j++) score += xs[i * inputs + j] * Math.sin(1 + c * inputs + j);
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    labels[i] = best;
  }
  return {
    x: tf.tensor2d(xs, [samples, inputs]),
    y: tf.oneHot(tf.tensor1d(labels, 'int32'), classes).toFloat(),
    labels,
  };
}
