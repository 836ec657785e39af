import * as tf from '@tensorflow/tfjs';

/** A small CNN for 28x28 digits: two conv/pool blocks and a softmax, seeded for repeatable runs. */
export function buildDigitsCnn(seed = 1): tf.Sequential {
  const init = (offset: number) => tf.initializers.glorotUniform({ seed: seed * 100 + offset });
  const model = tf.sequential({
    name: 'digits_cnn',
    layers: [
      tf.layers.conv2d({
        name: 'conv1',
        inputShape: [28, 28, 1],
        filters: 8,
        kernelSize: 3,
        activation: 'relu',
        kernelInitializer: init(1),
      }),
      tf.layers.maxPooling2d({ name: 'pool1', poolSize: 2 }),
      tf.layers.conv2d({ name: 'conv2', filters: 16, kernelSize: 3, activation: 'relu', kernelInitializer: init(2) }),
      tf.layers.maxPooling2d({ name: 'pool2', poolSize: 2 }),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.dense({ name: 'hidden', units: 32, activation: 'relu', kernelInitializer: init(3) }),
      tf.layers.dense({ name: 'digit', units: 10, activation: 'softmax', kernelInitializer: init(4) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.003), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
