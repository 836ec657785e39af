/**
 * A tiny ONNX graph builder over onnx-proto: enough to write real .onnx files (for the tests of @runlog/onnx,
 * its benchmark and examples/onnx-classifier) without Python. Every function returns plain onnx-proto message
 * objects; `encodeModel` turns a graph into the bytes onnxruntime loads.
 * @example
 * const bytes = encodeModel({
 *   name: 'double', inputs: [valueInfo('x', 'float32', ['batch', 3])], outputs: [valueInfo('y', 'float32', ['batch', 3])],
 *   nodes: [node('Add', ['x', 'x'], ['y'])],
 * });
 * const session = await InferenceSession.create(bytes);
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** Element types this builder writes, named as onnxruntime names them. */
export type ElementType = 'float32' | 'float64' | 'int32' | 'int64' | 'uint8' | 'bool';

const DATA_TYPE: Record<ElementType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  float64: onnx.TensorProto.DataType.DOUBLE,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
  uint8: onnx.TensorProto.DataType.UINT8,
  bool: onnx.TensorProto.DataType.BOOL,
};

/** A dimension: a fixed size, a symbolic name such as 'batch', or null for unknown. */
export type Dim = number | string | null;

/** A graph input or output of tensor type. */
export function valueInfo(name: string, type: ElementType, shape: Dim[]): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: DATA_TYPE[type],
        shape: {
          dim: shape.map((d) =>
            typeof d === 'number' ? { dimValue: d } : typeof d === 'string' ? { dimParam: d } : {},
          ),
        },
      },
    },
  };
}

/** A float32 (or int64) constant of the graph, stored as raw little-endian bytes. */
export function initializer(
  name: string,
  dims: number[],
  values: ArrayLike<number>,
  type: 'float32' | 'int64' = 'float32',
): onnxProto.onnx.ITensorProto {
  const count = dims.reduce((a, b) => a * b, 1);
  if (values.length !== count) throw new RangeError(`initializer ${name}: ${values.length} values for dims [${dims}]`);
  const data = type === 'float32' ? Float32Array.from(values) : BigInt64Array.from(Array.from(values, BigInt));
  return { name, dims, dataType: DATA_TYPE[type], rawData: new Uint8Array(data.buffer) };
}

export type AttributeValue = number | number[] | string | { floats: number[] } | { float: number };

/**
 * One operator. Attribute values: an integer number is INT, an array of numbers INTS, a string STRING,
 * `{ float }` FLOAT and `{ floats }` FLOATS (a JS number cannot say whether it was meant as a float).
 */
export function node(
  opType: string,
  inputs: string[],
  outputs: string[],
  attributes: Record<string, AttributeValue> = {},
): onnxProto.onnx.INodeProto {
  const type = onnx.AttributeProto.AttributeType;
  const attribute = Object.entries(attributes).map(([name, value]): onnxProto.onnx.IAttributeProto => {
    if (typeof value === 'number') return { name, type: type.INT, i: value };
    if (typeof value === 'string') return { name, type: type.STRING, s: new TextEncoder().encode(value) };
    if (Array.isArray(value)) return { name, type: type.INTS, ints: value };
    if ('floats' in value) return { name, type: type.FLOATS, floats: value.floats };
    return { name, type: type.FLOAT, f: value.float };
  });
  return { opType, input: inputs, output: outputs, name: `${opType}_${outputs[0]}`, attribute };
}

export interface ModelSpec {
  /** The graph's name. */
  name: string;
  inputs: onnxProto.onnx.IValueInfoProto[];
  outputs: onnxProto.onnx.IValueInfoProto[];
  nodes: onnxProto.onnx.INodeProto[];
  initializers?: onnxProto.onnx.ITensorProto[];
  /** Default opset 13 of the default domain. */
  opset?: number;
  /** Default 8 (the newest IR version onnx-proto knows). */
  irVersion?: number;
  producerName?: string;
  producerVersion?: string;
  docString?: string;
  metadataProps?: Record<string, string>;
}

/** Encodes a whole model as the bytes of a .onnx file. */
export function encodeModel(spec: ModelSpec): Uint8Array {
  const model: onnxProto.onnx.IModelProto = {
    irVersion: spec.irVersion ?? 8,
    opsetImport: [{ domain: '', version: spec.opset ?? 13 }],
    producerName: spec.producerName ?? 'runlog-onnx-graph',
    producerVersion: spec.producerVersion ?? '1.0.0',
    docString: spec.docString ?? '',
    metadataProps: Object.entries(spec.metadataProps ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: spec.name,
      input: spec.inputs,
      output: spec.outputs,
      node: spec.nodes,
      initializer: spec.initializers ?? [],
    },
  };
  return onnx.ModelProto.encode(model).finish();
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), for reproducible weights. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` deterministic values uniform in [-scale, scale). */
export function randomWeights(count: number, seed: number, scale = 1): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: count }, () => (random() * 2 - 1) * scale);
}
