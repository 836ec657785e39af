import { RunlogError } from '@runlog/core';
import { InferenceSession } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { readOnnxMetadata } from '../src/readOnnxMetadata.js';
import { encodeModel, initializer, node, valueInfo } from './helpers/onnxGraph.js';
import { buildConvClassifier, buildMlp, buildMultiIo } from './helpers/testModels.js';

describe('readOnnxMetadata', () => {
  it('reads what the builder wrote: versions, producer, inputs, outputs, counts', () => {
    const mlp = buildMlp({ inputs: 5, hidden: 7, classes: 3 });
    const meta = readOnnxMetadata(mlp.bytes);
    expect(meta).toMatchObject({
      irVersion: 8,
      opsetImports: [{ domain: '', version: 13 }],
      producerName: 'runlog-tests',
      producerVersion: '0.0.1',
      docString: 'a two-layer perceptron',
      graphName: 'mlp',
      inputs: [{ name: 'x', type: 'float32', shape: ['batch', 5] }],
      outputs: [{ name: 'probs', type: 'float32', shape: ['batch', 3] }],
      nodeCount: 4,
      opTypes: ['Gemm', 'Relu', 'Softmax'],
      initializerCount: mlp.initializerCount,
      parameterCount: 5 * 7 + 7 + 7 * 3 + 3,
      metadataProps: { purpose: 'tests' },
    });
    expect(meta.parameterCount).toBe(mlp.parameterCount);
  });

  it('keeps fixed, symbolic and unknown dimensions and every element type of a multi-io model', () => {
    const meta = readOnnxMetadata(buildMultiIo().bytes);
    expect(meta.inputs).toEqual([
      { name: 'a', type: 'float32', shape: ['batch', 3] },
      { name: 'b', type: 'float32', shape: ['batch', 3] },
      { name: 'scale', type: 'float32', shape: [1] },
    ]);
    expect(meta.outputs.map((o) => [o.name, o.type])).toEqual([
      ['sum', 'float32'],
      ['scaled', 'float32'],
      ['best', 'int64'],
    ]);
    const unknown = encodeModel({
      name: 'unknown-dims',
      inputs: [valueInfo('x', 'float64', [null, 'n', 2])],
      outputs: [valueInfo('y', 'float64', [null, 'n', 2])],
      nodes: [node('Identity', ['x'], ['y'])],
    });
    expect(readOnnxMetadata(unknown).inputs).toEqual([{ name: 'x', type: 'float64', shape: [null, 'n', 2] }]);
  });

  it('counts conv weights and agrees with what onnxruntime sees', async () => {
    const conv = buildConvClassifier();
    const meta = readOnnxMetadata(conv.bytes);
    expect(meta.parameterCount).toBe(conv.parameterCount);
    expect(meta.initializerCount).toBe(6);
    expect(meta.opTypes).toEqual(['Conv', 'Relu', 'MaxPool', 'AveragePool', 'Flatten', 'Gemm', 'Softmax']);
    const session = await InferenceSession.create(conv.bytes);
    expect(meta.inputs.map((i) => i.name)).toEqual(session.inputNames);
    expect(meta.outputs.map((o) => o.name)).toEqual(session.outputNames);
    expect(meta.inputs[0].shape).toEqual(session.inputMetadata[0].isTensor ? session.inputMetadata[0].shape : null);
    await session.release();
  });

  it('leaves out initializers listed as graph inputs (models before IR version 4)', () => {
    const bytes = encodeModel({
      name: 'old-style',
      irVersion: 3,
      opset: 9,
      inputs: [valueInfo('x', 'float32', [1, 2]), valueInfo('w', 'float32', [2, 2])],
      outputs: [valueInfo('y', 'float32', [1, 2])],
      nodes: [node('MatMul', ['x', 'w'], ['y'])],
      initializers: [initializer('w', [2, 2], [1, 0, 0, 1])],
    });
    const meta = readOnnxMetadata(bytes);
    expect(meta.irVersion).toBe(3);
    expect(meta.inputs.map((i) => i.name)).toEqual(['x']);
    expect(meta.parameterCount).toBe(4);
  });

  it.each([
    ['truncated in the middle', (b: Uint8Array) => b.subarray(0, Math.floor(b.length * 0.6))],
    ['cut to a few bytes', (b: Uint8Array) => b.subarray(0, 3)],
    ['empty', () => new Uint8Array(0)],
    ['a text file', () => new TextEncoder().encode('this is not a model, just some text\n')],
    ['random bytes', () => Uint8Array.from({ length: 512 }, (_, i) => (i * 2654435761) >>> 24)],
  ])('rejects a file %s with ARTIFACT_INVALID', (_label, corrupt) => {
    const bytes = corrupt(buildMlp().bytes);
    let error: unknown;
    try {
      readOnnxMetadata(bytes, 'model.onnx');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RunlogError);
    expect((error as RunlogError).code).toBe('ARTIFACT_INVALID');
    expect((error as RunlogError).message).toMatch(/^model\.onnx is not a valid ONNX model/);
  });
});
