/**
 * The ONNX models the tests load in real onnxruntime sessions, built with the graph builder beside it (onnxGraph.ts).
 * Each returns the file bytes plus what the builder wrote, so metadata tests compare against the source.
 */
import { type Dim, encodeModel, initializer, node, randomWeights, valueInfo } from './onnxGraph.js';

export interface BuiltModel {
  bytes: Uint8Array;
  /** Number of initializers and of their elements (the parameter count). */
  initializerCount: number;
  parameterCount: number;
}

/** x [batch, inputs] -> Gemm -> Relu -> Gemm -> Softmax -> probs [batch, classes]. */
export function buildMlp(
  options: { inputs?: number; hidden?: number; classes?: number; batch?: Dim } = {},
): BuiltModel {
  const { inputs = 4, hidden = 8, classes = 3, batch = 'batch' } = options;
  const initializers = [
    initializer('w1', [inputs, hidden], randomWeights(inputs * hidden, 1)),
    initializer('b1', [hidden], randomWeights(hidden, 2, 0.1)),
    initializer('w2', [hidden, classes], randomWeights(hidden * classes, 3)),
    initializer('b2', [classes], randomWeights(classes, 4, 0.1)),
  ];
  const bytes = encodeModel({
    name: 'mlp',
    producerName: 'runlog-tests',
    producerVersion: '0.0.1',
    docString: 'a two-layer perceptron',
    metadataProps: { purpose: 'tests' },
    inputs: [valueInfo('x', 'float32', [batch, inputs])],
    outputs: [valueInfo('probs', 'float32', [batch, classes])],
    nodes: [
      node('Gemm', ['x', 'w1', 'b1'], ['h']),
      node('Relu', ['h'], ['hr']),
      node('Gemm', ['hr', 'w2', 'b2'], ['logits']),
      node('Softmax', ['logits'], ['probs'], { axis: 1 }),
    ],
    initializers,
  });
  return {
    bytes,
    initializerCount: 4,
    parameterCount: inputs * hidden + hidden + hidden * classes + classes,
  };
}

/**
 * image [batch, 1, 8, 8] -> Conv(4 filters 3x3, pad 1) -> Relu -> MaxPool 2x2 -> Conv(4, 3x3, pad 1) -> Relu ->
 * AveragePool 2x2 -> Flatten -> Gemm(16 -> 10) -> Softmax -> probs [batch, 10].
 */
export function buildConvClassifier(): BuiltModel {
  const initializers = [
    initializer('conv1.w', [4, 1, 3, 3], randomWeights(36, 11, 0.5)),
    initializer('conv1.b', [4], randomWeights(4, 12, 0.1)),
    initializer('conv2.w', [4, 4, 3, 3], randomWeights(144, 13, 0.3)),
    initializer('conv2.b', [4], randomWeights(4, 14, 0.1)),
    initializer('fc.w', [16, 10], randomWeights(160, 15)),
    initializer('fc.b', [10], randomWeights(10, 16, 0.1)),
  ];
  const bytes = encodeModel({
    name: 'conv-classifier',
    opset: 13,
    inputs: [valueInfo('image', 'float32', ['batch', 1, 8, 8])],
    outputs: [valueInfo('probs', 'float32', ['batch', 10])],
    nodes: [
      node('Conv', ['image', 'conv1.w', 'conv1.b'], ['c1'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }),
      node('Relu', ['c1'], ['r1']),
      node('MaxPool', ['r1'], ['p1'], { kernel_shape: [2, 2], strides: [2, 2] }),
      node('Conv', ['p1', 'conv2.w', 'conv2.b'], ['c2'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }),
      node('Relu', ['c2'], ['r2']),
      node('AveragePool', ['r2'], ['p2'], { kernel_shape: [2, 2], strides: [2, 2] }),
      node('Flatten', ['p2'], ['flat'], { axis: 1 }),
      node('Gemm', ['flat', 'fc.w', 'fc.b'], ['logits']),
      node('Softmax', ['logits'], ['probs'], { axis: 1 }),
    ],
    initializers,
  });
  return { bytes, initializerCount: 6, parameterCount: 36 + 4 + 144 + 4 + 160 + 10 };
}

/**
 * Two float inputs and an int64 one, three outputs of different types:
 * sum = a + b, scaled = a * b * scale, best = ArgMax(sum, axis 1) (int64), with a fixed-size `scale` [1].
 */
export function buildMultiIo(): BuiltModel {
  const bytes = encodeModel({
    name: 'multi-io',
    opset: 13,
    inputs: [
      valueInfo('a', 'float32', ['batch', 3]),
      valueInfo('b', 'float32', ['batch', 3]),
      valueInfo('scale', 'float32', [1]),
    ],
    outputs: [
      valueInfo('sum', 'float32', ['batch', 3]),
      valueInfo('scaled', 'float32', ['batch', 3]),
      valueInfo('best', 'int64', ['batch']),
    ],
    nodes: [
      node('Add', ['a', 'b'], ['sum']),
      node('Mul', ['a', 'b'], ['product']),
      node('Mul', ['product', 'scale'], ['scaled']),
      node('ArgMax', ['sum'], ['best'], { axis: 1, keepdims: 0 }),
    ],
  });
  return { bytes, initializerCount: 0, parameterCount: 0 };
}

/** y = sqrt(x): NaN for every negative input. */
export function buildSqrt(): BuiltModel {
  const bytes = encodeModel({
    name: 'sqrt',
    inputs: [valueInfo('x', 'float32', ['batch', 4])],
    outputs: [valueInfo('y', 'float32', ['batch', 4])],
    nodes: [node('Sqrt', ['x'], ['y'])],
  });
  return { bytes, initializerCount: 0, parameterCount: 0 };
}
