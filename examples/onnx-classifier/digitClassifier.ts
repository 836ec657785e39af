/**
 * A small convolutional digit classifier written as a real ONNX file, with weights set deterministically
 * instead of trained: fixed 3x3 filters (a blur and four edge detectors) extract features, and the dense layer
 * is the exact least-squares fit (ridge regression, solved in closed form) of one-hot labels on the features
 * of a rendered reference set. No training loop, no randomness: the same images give the same weights.
 *
 *   image [batch, 1, 28, 28] -> Conv 5x3x3 (pad 1) -> Relu -> MaxPool 2x2 -> AveragePool 2x2
 *   -> Flatten [batch, 245] -> Gemm [245, 10] -> Softmax -> probs [batch, 10]
 */
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { encodeModel, initializer, node, valueInfo } from '../../packages/onnx/test/helpers/onnxGraph.js';
import { ridgeRegression } from './ridgeRegression.js';

export const DIGIT_CLASSES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const SIZE = 28;
const FEATURES = 5 * 7 * 7;
/** The fit's scores are near 0 or 1; scaled by this before the softmax, probabilities are neither flat nor 0/1. */
const SHARPNESS = 8;
/** The L2 penalty of the fit: enough to keep a few hundred reference images from overfitting. */
const RIDGE_LAMBDA = 1;

// Blur, then edges towards +x, -x, +y, -y (Relu keeps one sign each, so four filters cover both directions).
const FILTERS = [
  [1, 2, 1, 2, 4, 2, 1, 2, 1].map((v) => v / 16),
  [-1, 0, 1, -2, 0, 2, -1, 0, 1],
  [1, 0, -1, 2, 0, -2, 1, 0, -1],
  [-1, -2, -1, 0, 0, 0, 1, 2, 1],
  [1, 2, 1, 0, 0, 0, -1, -2, -1],
];

function featureNodes() {
  return [
    node('Conv', ['image', 'conv.w', 'conv.b'], ['conv'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }),
    node('Relu', ['conv'], ['relu']),
    node('MaxPool', ['relu'], ['pool1'], { kernel_shape: [2, 2], strides: [2, 2] }),
    node('AveragePool', ['pool1'], ['pool2'], { kernel_shape: [2, 2], strides: [2, 2] }),
    node('Flatten', ['pool2'], ['features'], { axis: 1 }),
  ];
}

function featureInitializers() {
  return [initializer('conv.w', [5, 1, 3, 3], FILTERS.flat()), initializer('conv.b', [5], [0, 0, 0, 0, 0])];
}

/** The feature extractor alone, as an ONNX model: image -> features [batch, 245]. */
function featureModel(): Uint8Array {
  return encodeModel({
    name: 'digit-features',
    inputs: [valueInfo('image', 'float32', ['batch', 1, SIZE, SIZE])],
    outputs: [valueInfo('features', 'float32', ['batch', FEATURES])],
    nodes: featureNodes(),
    initializers: featureInitializers(),
  });
}

/**
 * Builds the classifier from reference images (count x 28 x 28 values in [0, 1]) and their labels: runs the
 * feature extractor over them in onnxruntime, fits the dense layer, and writes the full model.
 */
export async function buildDigitClassifier(images: Float32Array, labels: Int32Array): Promise<Uint8Array> {
  const count = labels.length;
  const extractor = await InferenceSession.create(featureModel());
  const { features } = await extractor.run({ image: new Tensor('float32', images, [count, 1, SIZE, SIZE]) });
  await extractor.release();
  // One-hot targets, plus a constant feature so the fit has a bias.
  const data = features.data as Float32Array;
  const width = FEATURES + 1;
  const x = new Float64Array(count * width);
  const y = new Float64Array(count * 10);
  for (let i = 0; i < count; i++) {
    x.set(data.subarray(i * FEATURES, (i + 1) * FEATURES), i * width);
    x[i * width + FEATURES] = 1;
    y[i * 10 + labels[i]] = 1;
  }
  const fit = ridgeRegression(x, y, count, width, 10, RIDGE_LAMBDA);
  // Gemm computes features [batch, F] · W [F, 10] + b.
  const weights = Float32Array.from(fit.subarray(0, FEATURES * 10), (v) => v * SHARPNESS);
  const bias = Float32Array.from(fit.subarray(FEATURES * 10), (v) => v * SHARPNESS);
  return encodeModel({
    name: 'digits-cnn',
    producerName: 'runlog-example',
    producerVersion: '1.0.0',
    docString: 'Conv + Relu + MaxPool + AveragePool + nearest-centroid Gemm + Softmax over 28x28 digits',
    metadataProps: { classes: DIGIT_CLASSES.join(',') },
    inputs: [valueInfo('image', 'float32', ['batch', 1, SIZE, SIZE])],
    outputs: [valueInfo('probs', 'float32', ['batch', 10])],
    nodes: [
      ...featureNodes(),
      node('Gemm', ['features', 'fc.w', 'fc.b'], ['scores']),
      node('Softmax', ['scores'], ['probs'], { axis: 1 }),
    ],
    initializers: [
      ...featureInitializers(),
      initializer('fc.w', [FEATURES, 10], weights),
      initializer('fc.b', [10], bias),
    ],
  });
}
