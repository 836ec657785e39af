import { ArtifactInvalidError } from '@runlog/core';
import onnxProto from 'onnx-proto';

type Proto = typeof onnxProto.onnx;
type Int64 = number | { toString(): string };

/** A dimension of a graph input or output: a size, a symbolic name ('batch'), or null when unknown. */
export type OnnxDim = number | string | null;

export interface OnnxValueInfo {
  name: string;
  /** The element type as onnxruntime names it ('float32', 'int64'...); for non-tensors 'sequence', 'map'... */
  type: string;
  /** Null when the graph does not say (or the value is not a tensor). */
  shape: OnnxDim[] | null;
}

/** What an .onnx file says about itself, read without loading it in a runtime. */
export interface OnnxModelMetadata {
  irVersion: number;
  /** Operator sets the model imports; the default domain is ''. */
  opsetImports: Array<{ domain: string; version: number }>;
  producerName: string;
  producerVersion: string;
  domain: string;
  modelVersion: number;
  docString: string;
  graphName: string;
  /** Graph inputs that are not initializers (what a caller feeds). */
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  nodeCount: number;
  /** Operator types used, each once, in first-use order. */
  opTypes: string[];
  initializerCount: number;
  /** Elements over all initializers (the stored values of sparse ones): the number of weights. */
  parameterCount: number;
  /** The model's metadata_props key/values. */
  metadataProps: Record<string, string>;
}

/** ONNX TensorProto.DataType -> onnxruntime's tensor type names. */
const ELEMENT_TYPES: Record<number, string> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
  14: 'complex64',
  15: 'complex128',
  16: 'bfloat16',
};

/**
 * Reads the metadata of an ONNX model from its bytes. Throws an ArtifactInvalidError (code ARTIFACT_INVALID) when the
 * bytes are not a complete ONNX model (corrupt, truncated, or another kind of file).
 * @example
 * const meta = readOnnxMetadata(await readFile('model.onnx'));
 * meta.inputs; // [{ name: 'x', type: 'float32', shape: ['batch', 4] }]
 */
export function readOnnxMetadata(bytes: Uint8Array, source = 'the model'): OnnxModelMetadata {
  const { onnx } = onnxProto;
  let model: InstanceType<Proto['ModelProto']>;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw invalid(source, `it does not decode as an ONNX ModelProto (${(error as Error).message})`);
  }
  const graph = model.graph;
  const irVersion = toNumber(model.irVersion);
  if (!graph || irVersion < 1) {
    throw invalid(source, graph ? 'it has no IR version' : 'it has no graph');
  }
  const initializers = graph.initializer ?? [];
  const sparse = graph.sparseInitializer ?? [];
  const initializerNames = new Set<string>();
  let parameterCount = 0;
  for (const tensor of initializers) {
    initializerNames.add(tensor.name ?? '');
    parameterCount += elementCount(tensor.dims);
  }
  for (const tensor of sparse) {
    initializerNames.add(tensor.values?.name ?? '');
    parameterCount += elementCount(tensor.values?.dims); // the stored (non-zero) values only
  }
  const nodes = graph.node ?? [];
  return {
    irVersion,
    opsetImports: (model.opsetImport ?? []).map((o) => ({ domain: o.domain ?? '', version: toNumber(o.version) })),
    producerName: model.producerName ?? '',
    producerVersion: model.producerVersion ?? '',
    domain: model.domain ?? '',
    modelVersion: toNumber(model.modelVersion),
    docString: model.docString ?? '',
    graphName: graph.name ?? '',
    // Before IR version 4 initializers were also listed as inputs: a caller does not feed those.
    inputs: (graph.input ?? []).filter((v) => !initializerNames.has(v.name ?? '')).map(valueInfo),
    outputs: (graph.output ?? []).map(valueInfo),
    nodeCount: nodes.length,
    opTypes: [...new Set(nodes.map((n) => n.opType ?? ''))],
    initializerCount: initializers.length + sparse.length,
    parameterCount,
    metadataProps: Object.fromEntries((model.metadataProps ?? []).map((p) => [p.key ?? '', p.value ?? ''])),
  };
}

function valueInfo(info: onnxProto.onnx.IValueInfoProto): OnnxValueInfo {
  const type = info.type;
  const name = info.name ?? '';
  if (type?.tensorType) {
    const dims = type.tensorType.shape?.dim;
    return {
      name,
      type: ELEMENT_TYPES[type.tensorType.elemType ?? 0] ?? 'undefined',
      shape: dims
        ? dims.map((d) => (d.dimParam ? d.dimParam : d.dimValue != null ? toNumber(d.dimValue) : null))
        : null,
    };
  }
  const kind = type?.sequenceType
    ? 'sequence'
    : type?.mapType
      ? 'map'
      : type?.optionalType
        ? 'optional'
        : type?.sparseTensorType
          ? 'sparse_tensor'
          : 'undefined';
  return { name, type: kind, shape: null };
}

function elementCount(dims: Int64[] | null | undefined): number {
  let count = 1;
  for (const d of dims ?? []) count *= toNumber(d);
  return count;
}

/** protobufjs gives int64 fields as a Long object (or a number when small and long.js is absent). */
function toNumber(value: Int64 | null | undefined): number {
  if (value == null) return 0;
  return typeof value === 'number' ? value : Number(value.toString());
}

function invalid(source: string, why: string): ArtifactInvalidError {
  return new ArtifactInvalidError(
    `${source} is not a valid ONNX model: ${why}. Pass the bytes or path of a complete .onnx file.`,
  );
}
