import { DTYPE, TENSOR, TENSOR_DIM, TENSOR_SHAPE } from './fieldNumbers.js';
import type { ProtoReader } from './protoReader.js';
import { type ProtoWriter, WIRE } from './protoWriter.js';

/** A decoded TensorProto: numbers for numeric dtypes, byte strings for DT_STRING. */
export interface DecodedTensor {
  dtype: number;
  shape: number[];
  numbers: number[];
  strings: Uint8Array[];
}

/** A scalar DT_DOUBLE tensor (exact for runlog's numbers; TensorBoard reads it as a float64 scalar). */
export function writeDoubleScalarTensor(out: ProtoWriter, value: number): void {
  out.varintField(TENSOR.dtype, DTYPE.double);
  out.tag(TENSOR.tensorShape, WIRE.bytes);
  out.varint(0);
  out.tag(TENSOR.doubleVal, WIRE.bytes);
  out.varint(8);
  out.double(value);
}

/** A DT_STRING tensor of shape [items.length], or a scalar string tensor when `scalar` is set. */
export function writeStringTensor(out: ProtoWriter, items: readonly Uint8Array[], scalar = false): void {
  out.varintField(TENSOR.dtype, DTYPE.string);
  const shape = out.beginField(TENSOR.tensorShape);
  if (!scalar) {
    const dim = out.beginField(TENSOR_SHAPE.dim);
    out.varintField(TENSOR_DIM.size, items.length);
    out.end(dim);
  }
  out.end(shape);
  for (const item of items) out.bytesField(TENSOR.stringVal, item);
}

/** An empty DT_FLOAT tensor of shape [0] (what the hparams plugin's summaries carry). */
export function writeEmptyFloatTensor(out: ProtoWriter): void {
  out.varintField(TENSOR.dtype, DTYPE.float);
  const shape = out.beginField(TENSOR.tensorShape);
  const dim = out.beginField(TENSOR_SHAPE.dim);
  out.varintField(TENSOR_DIM.size, 0);
  out.end(dim);
  out.end(shape);
}

function readShape(reader: ProtoReader, shape: number[]): void {
  while (!reader.done) {
    const key = reader.key();
    if (key >>> 3 === TENSOR_SHAPE.dim && (key & 7) === WIRE.bytes) {
      const dim = reader.message();
      let size = 0;
      while (!dim.done) {
        const dimKey = dim.key();
        if (dimKey >>> 3 === TENSOR_DIM.size && (dimKey & 7) === WIRE.varint) size = dim.varint();
        else dim.skip(dimKey & 7);
      }
      shape.push(size);
    } else reader.skip(key & 7);
  }
}

/** IEEE half-precision bits to a number. */
function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** Little-endian tensor_content as numbers of this dtype (undefined for dtypes this package does not read). */
function contentNumbers(dtype: number, content: Uint8Array, into: number[]): boolean {
  const view = new DataView(content.buffer, content.byteOffset, content.byteLength);
  const read = (width: number, get: (at: number) => number) => {
    for (let at = 0; at + width <= content.length; at += width) into.push(get(at));
  };
  switch (dtype) {
    case DTYPE.float:
      read(4, (at) => view.getFloat32(at, true));
      return true;
    case DTYPE.double:
      read(8, (at) => view.getFloat64(at, true));
      return true;
    case DTYPE.int32:
      read(4, (at) => view.getInt32(at, true));
      return true;
    case DTYPE.uint32:
      read(4, (at) => view.getUint32(at, true));
      return true;
    case DTYPE.int64:
      read(8, (at) => Number(view.getBigInt64(at, true)));
      return true;
    case DTYPE.uint64:
      read(8, (at) => Number(view.getBigUint64(at, true)));
      return true;
    case DTYPE.int16:
      read(2, (at) => view.getInt16(at, true));
      return true;
    case DTYPE.uint16:
      read(2, (at) => view.getUint16(at, true));
      return true;
    case DTYPE.half:
      read(2, (at) => halfToNumber(view.getUint16(at, true)));
      return true;
    case DTYPE.int8:
      read(1, (at) => view.getInt8(at));
      return true;
    case DTYPE.uint8:
    case DTYPE.bool:
      read(1, (at) => view.getUint8(at));
      return true;
    default:
      return false;
  }
}

/** Decodes a TensorProto. Values come from tensor_content when present, else from the typed repeated fields. */
export function readTensorProto(reader: ProtoReader): DecodedTensor {
  const tensor: DecodedTensor = { dtype: 0, shape: [], numbers: [], strings: [] };
  let content: Uint8Array | undefined;
  const halves: number[] = [];
  while (!reader.done) {
    const key = reader.key();
    const field = key >>> 3;
    const wireType = key & 7;
    switch (field) {
      case TENSOR.dtype:
        tensor.dtype = reader.varint();
        break;
      case TENSOR.tensorShape:
        readShape(reader.message(), tensor.shape);
        break;
      case TENSOR.tensorContent:
        content = reader.bytesView();
        break;
      case TENSOR.floatVal:
        reader.repeated(wireType, (r) => r.float(), tensor.numbers);
        break;
      case TENSOR.doubleVal:
        reader.repeated(wireType, (r) => r.double(), tensor.numbers);
        break;
      case TENSOR.intVal:
      case TENSOR.int64Val:
      case TENSOR.uint32Val:
      case TENSOR.uint64Val:
      case TENSOR.boolVal:
        reader.repeated(wireType, (r) => r.varint(), tensor.numbers);
        break;
      case TENSOR.halfVal:
        reader.repeated(wireType, (r) => r.varint(), halves);
        break;
      case TENSOR.stringVal:
        tensor.strings.push(reader.bytesView());
        break;
      default:
        reader.skip(wireType);
    }
  }
  for (const bits of halves) tensor.numbers.push(halfToNumber(bits));
  if (content !== undefined && tensor.dtype !== DTYPE.string) {
    tensor.numbers = [];
    contentNumbers(tensor.dtype, content, tensor.numbers);
  }
  // int_val holds int32 as a varint of the sign-extended value: read back negative numbers correctly.
  if (tensor.dtype === DTYPE.int32 || tensor.dtype === DTYPE.int16 || tensor.dtype === DTYPE.int8) {
    for (let i = 0; i < tensor.numbers.length; i++) tensor.numbers[i] |= 0;
  }
  return tensor;
}

/** The number of elements a shape holds (1 for a scalar). */
export function shapeSize(shape: readonly number[]): number {
  let size = 1;
  for (const dim of shape) size *= dim;
  return size;
}

/**
 * A tensor with one element per shape position: a TensorProto may hold a single value for a whole tensor
 * ("fill" form); expand it.
 */
export function expandFill(tensor: DecodedTensor): number[] {
  const size = shapeSize(tensor.shape);
  if (tensor.numbers.length === 1 && size > 1) return new Array<number>(size).fill(tensor.numbers[0]);
  return tensor.numbers;
}
