// src/export/exportRun.ts
import { join as join2 } from "path";

// src/format/eventFileWriter.ts
import { closeSync, mkdirSync, openSync, renameSync, writeSync } from "fs";
import { mkdir, open, rename, rm } from "fs/promises";
import { basename, dirname, join } from "path";

// src/format/crc32c.ts
var POLYNOMIAL = 2197175160;
var TABLES = (() => {
  const tables = Array.from({ length: 8 }, () => new Int32Array(256));
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? c >>> 1 ^ POLYNOMIAL : c >>> 1;
    tables[0][n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = tables[0][n];
    for (let t = 1; t < 8; t++) {
      c = tables[0][c & 255] ^ c >>> 8;
      tables[t][n] = c;
    }
  }
  return tables;
})();
var [T0, T1, T2, T3, T4, T5, T6, T7] = TABLES;
function crc32c(bytes, start = 0, end = bytes.length) {
  let crc = ~0;
  let i = start;
  const stop8 = end - (end - i & 7);
  for (; i < stop8; i += 8) {
    const lo = crc ^ (bytes[i] | bytes[i + 1] << 8 | bytes[i + 2] << 16 | bytes[i + 3] << 24);
    crc = T7[lo & 255] ^ T6[lo >>> 8 & 255] ^ T5[lo >>> 16 & 255] ^ T4[lo >>> 24] ^ T3[bytes[i + 4]] ^ T2[bytes[i + 5]] ^ T1[bytes[i + 6]] ^ T0[bytes[i + 7]];
  }
  for (; i < end; i++) crc = T0[(crc ^ bytes[i]) & 255] ^ crc >>> 8;
  return ~crc >>> 0;
}
var MASK_DELTA = 2726488792;
function maskCrc(crc) {
  return (crc >>> 15 | crc << 17) + MASK_DELTA >>> 0;
}
function maskedCrc32c(bytes, start = 0, end = bytes.length) {
  return maskCrc(crc32c(bytes, start, end));
}

// src/format/recordFraming.ts
var RECORD_HEADER_BYTES = 12;
var RECORD_FOOTER_BYTES = 4;
function beginRecord(out) {
  out.ensure(RECORD_HEADER_BYTES);
  out.pos += RECORD_HEADER_BYTES;
  return out.pos;
}
function endRecord(out, dataStart) {
  const length = out.pos - dataStart;
  const headerStart = dataStart - RECORD_HEADER_BYTES;
  const bytes = out.bytes;
  bytes[headerStart] = length & 255;
  bytes[headerStart + 1] = length >>> 8 & 255;
  bytes[headerStart + 2] = length >>> 16 & 255;
  bytes[headerStart + 3] = length >>> 24 & 255;
  const high = Math.floor(length / 4294967296);
  bytes[headerStart + 4] = high & 255;
  bytes[headerStart + 5] = high >>> 8 & 255;
  bytes[headerStart + 6] = high >>> 16 & 255;
  bytes[headerStart + 7] = high >>> 24 & 255;
  writeUint32LE(bytes, headerStart + 8, maskedCrc32c(bytes, headerStart, headerStart + 8));
  const dataCrc = maskedCrc32c(bytes, dataStart, out.pos);
  out.uint32LE(dataCrc);
}
function writeUint32LE(bytes, at, value) {
  bytes[at] = value & 255;
  bytes[at + 1] = value >>> 8 & 255;
  bytes[at + 2] = value >>> 16 & 255;
  bytes[at + 3] = value >>> 24 & 255;
}

// src/proto/fieldNumbers.ts
var EVENT = {
  wallTime: 1,
  step: 2,
  fileVersion: 3,
  graphDef: 4,
  summary: 5,
  logMessage: 6,
  sessionLog: 7,
  taggedRunMetadata: 8,
  metaGraphDef: 9,
  sourceMetadata: 10
};
var SESSION_LOG = { status: 1, checkpointPath: 2, msg: 3 };
var SESSION_STATUS = { unknown: 0, start: 1, stop: 2, checkpoint: 3 };
var SUMMARY = { value: 1 };
var SUMMARY_VALUE = {
  tag: 1,
  simpleValue: 2,
  obsoleteOldStyleHistogram: 3,
  image: 4,
  histo: 5,
  audio: 6,
  nodeName: 7,
  tensor: 8,
  metadata: 9
};
var SUMMARY_IMAGE = { height: 1, width: 2, colorspace: 3, encodedImageString: 4 };
var SUMMARY_METADATA = { pluginData: 1, displayName: 2, summaryDescription: 3, dataClass: 4 };
var PLUGIN_DATA = { pluginName: 1, content: 2 };
var DATA_CLASS = { unknown: 0, scalar: 1, tensor: 2, blobSequence: 3 };
var HISTOGRAM = { min: 1, max: 2, num: 3, sum: 4, sumSquares: 5, bucketLimit: 6, bucket: 7 };
var TENSOR = {
  dtype: 1,
  tensorShape: 2,
  versionNumber: 3,
  tensorContent: 4,
  floatVal: 5,
  doubleVal: 6,
  intVal: 7,
  stringVal: 8,
  int64Val: 10,
  boolVal: 11,
  halfVal: 13,
  uint32Val: 16,
  uint64Val: 17
};
var TENSOR_SHAPE = { dim: 2, unknownRank: 3 };
var TENSOR_DIM = { size: 1, name: 2 };
var DTYPE = {
  float: 1,
  double: 2,
  int32: 3,
  uint8: 4,
  int16: 5,
  int8: 6,
  string: 7,
  int64: 9,
  bool: 10,
  uint16: 17,
  half: 19,
  uint32: 22,
  uint64: 23
};
var HPARAMS_PLUGIN_DATA = { version: 1, experiment: 2, sessionStartInfo: 3, sessionEndInfo: 4 };
var SESSION_START_INFO = { hparams: 1, modelUri: 2, monitorUrl: 3, groupName: 4, startTimeSecs: 5 };
var SESSION_END_INFO = { status: 1, endTimeSecs: 2 };
var HPARAMS_STATUS = { unknown: 0, success: 1, failure: 2, running: 3 };
var MAP_ENTRY = { key: 1, value: 2 };
var STRUCT_VALUE = {
  nullValue: 1,
  numberValue: 2,
  stringValue: 3,
  boolValue: 4,
  structValue: 5,
  listValue: 6
};
var PLUGIN = {
  scalars: "scalars",
  histograms: "histograms",
  images: "images",
  text: "text",
  hparams: "hparams"
};
var HPARAMS_TAGS = {
  experiment: "_hparams_/experiment",
  sessionStartInfo: "_hparams_/session_start_info",
  sessionEndInfo: "_hparams_/session_end_info"
};
var FILE_VERSION = "brain.Event:2";

// src/proto/protoWriter.ts
var WIRE = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 };
var textEncoder = new TextEncoder();
var ProtoWriter = class {
  bytes;
  pos = 0;
  view;
  constructor(initialSize = 64 * 1024) {
    this.bytes = new Uint8Array(initialSize);
    this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
  }
  /** Makes room for `n` more bytes. */
  ensure(n) {
    if (this.pos + n <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.pos + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes.subarray(0, this.pos));
    this.bytes = grown;
    this.view = new DataView(grown.buffer, grown.byteOffset, grown.byteLength);
  }
  /**
   * Hands over the bytes written so far (a view of the current buffer) and goes on in `next`, or in a new buffer of
   * the same size: a writer double-buffers without copying what it hands to the file.
   */
  swap(next) {
    const written = this.bytes.subarray(0, this.pos);
    this.bytes = next && next.length >= 64 ? next : new Uint8Array(this.bytes.length);
    this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    this.pos = 0;
    return written;
  }
  /** Forgets everything written (the buffer is kept). */
  reset() {
    this.pos = 0;
  }
  tag(field, wireType) {
    this.varint(field * 8 + wireType);
  }
  /** A non-negative integer up to 2^53, or a negative one as int64 (ten bytes, two's complement). */
  varint(value) {
    this.ensure(10);
    const bytes = this.bytes;
    if (value >= 0 && value < 2147483648) {
      let v = value;
      while (v > 127) {
        bytes[this.pos++] = v & 127 | 128;
        v >>>= 7;
      }
      bytes[this.pos++] = v;
      return;
    }
    let lo;
    let hi;
    if (value >= 0) {
      lo = value >>> 0;
      hi = Math.floor(value / 4294967296) >>> 0;
    } else {
      const magnitude = -value;
      lo = magnitude >>> 0;
      hi = Math.floor(magnitude / 4294967296) >>> 0;
      lo = ~lo + 1;
      hi = ~hi + (lo === 0 ? 1 : 0);
      lo >>>= 0;
      hi >>>= 0;
    }
    while (hi > 0 || lo > 127) {
      bytes[this.pos++] = lo & 127 | 128;
      lo = (lo >>> 7 | hi << 25) >>> 0;
      hi >>>= 7;
    }
    bytes[this.pos++] = lo;
  }
  varintField(field, value) {
    this.tag(field, WIRE.varint);
    this.varint(value);
  }
  boolField(field, value) {
    this.tag(field, WIRE.varint);
    this.varint(value ? 1 : 0);
  }
  double(value) {
    this.ensure(8);
    this.view.setFloat64(this.pos, value, true);
    this.pos += 8;
  }
  doubleField(field, value) {
    this.tag(field, WIRE.fixed64);
    this.double(value);
  }
  float(value) {
    this.ensure(4);
    this.view.setFloat32(this.pos, value, true);
    this.pos += 4;
  }
  floatField(field, value) {
    this.tag(field, WIRE.fixed32);
    this.float(value);
  }
  uint32LE(value) {
    this.ensure(4);
    this.view.setUint32(this.pos, value, true);
    this.pos += 4;
  }
  raw(bytes) {
    this.ensure(bytes.length);
    this.bytes.set(bytes, this.pos);
    this.pos += bytes.length;
  }
  bytesField(field, bytes) {
    this.tag(field, WIRE.bytes);
    this.varint(bytes.length);
    this.raw(bytes);
  }
  stringField(field, text) {
    this.tag(field, WIRE.bytes);
    const start = this.begin();
    this.utf8(text);
    this.end(start);
  }
  /** UTF-8 text, without a length. */
  utf8(text) {
    this.ensure(text.length * 3);
    this.pos += textEncoder.encodeInto(text, this.bytes.subarray(this.pos)).written;
  }
  /**
   * Starts a length-delimited field's content (after its tag), leaving `reserve` bytes for its length (one by
   * default; more when the caller expects a long content, so `end()` need not move it): returns where the content
   * starts.
   */
  begin(reserve = 1) {
    this.ensure(reserve);
    this.pos += reserve;
    return this.pos;
  }
  /** Ends a length-delimited field started with `begin(reserve)`, writing its length before it. */
  end(contentStart, reserve = 1) {
    const length = this.pos - contentStart;
    if (length < 128 && reserve === 1) {
      this.bytes[contentStart - 1] = length;
      return;
    }
    let size = 1;
    for (let v = length >>> 7; v > 0; v >>>= 7) size++;
    const shift = size - reserve;
    if (shift !== 0) {
      this.ensure(Math.max(0, shift));
      this.bytes.copyWithin(contentStart + shift, contentStart, this.pos);
    }
    const end = this.pos + shift;
    this.pos = contentStart - reserve;
    this.varint(length);
    this.pos = end;
  }
  /** Bytes a varint of this value takes. */
  static varintSize(value) {
    let size = 1;
    for (let v = value >>> 7; v > 0; v >>>= 7) size++;
    return size;
  }
  /** A nested message field: tag, then `begin()`; close it with `end()`. */
  beginField(field) {
    this.tag(field, WIRE.bytes);
    return this.begin();
  }
  /** A copy of the bytes written so far. */
  toBytes() {
    return this.bytes.slice(0, this.pos);
  }
};

// src/proto/histogramProto.ts
function writeHistogramProto(out, edges, counts, moments) {
  const n = counts.length;
  let num = 0;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < n; i++) {
    const count = counts[i];
    num += count;
    const centre = (edges[i] + edges[i + 1]) / 2;
    sum += count * centre;
    sumSquares += count * centre * centre;
  }
  out.doubleField(HISTOGRAM.min, n > 0 ? edges[0] : 0);
  out.doubleField(HISTOGRAM.max, n > 0 ? edges[n] : 0);
  out.doubleField(HISTOGRAM.num, num);
  out.doubleField(HISTOGRAM.sum, moments?.sum ?? sum);
  out.doubleField(HISTOGRAM.sumSquares, moments?.sumSquares ?? sumSquares);
  if (n === 0) return;
  out.tag(HISTOGRAM.bucketLimit, WIRE.bytes);
  out.varint(n * 8);
  for (let i = 1; i <= n; i++) out.double(edges[i]);
  out.tag(HISTOGRAM.bucket, WIRE.bytes);
  out.varint(n * 8);
  for (let i = 0; i < n; i++) out.double(counts[i]);
}
function readHistogramProto(reader) {
  const data = { min: 0, max: 0, num: 0, sum: 0, sumSquares: 0, bucketLimit: [], bucket: [] };
  const readDouble = (r) => r.double();
  while (!reader.done) {
    const key = reader.key();
    const field = key >>> 3;
    const wireType = key & 7;
    if (field === HISTOGRAM.bucketLimit) reader.repeated(wireType, readDouble, data.bucketLimit);
    else if (field === HISTOGRAM.bucket) reader.repeated(wireType, readDouble, data.bucket);
    else if (wireType === WIRE.fixed64 && field >= HISTOGRAM.min && field <= HISTOGRAM.sumSquares) {
      const value = reader.double();
      if (field === HISTOGRAM.min) data.min = value;
      else if (field === HISTOGRAM.max) data.max = value;
      else if (field === HISTOGRAM.num) data.num = value;
      else if (field === HISTOGRAM.sum) data.sum = value;
      else data.sumSquares = value;
    } else reader.skip(wireType);
  }
  return data;
}

// src/proto/protoReader.ts
var textDecoder = new TextDecoder();
var ProtoDecodeError = class extends Error {
};
var ProtoReader = class _ProtoReader {
  constructor(bytes, pos = 0, end = bytes.length) {
    this.bytes = bytes;
    this.pos = pos;
    this.end = end;
  }
  view;
  get done() {
    return this.pos >= this.end;
  }
  /** The next field's key: `field * 8 + wireType`. */
  key() {
    return this.varint();
  }
  /** A varint as a number (exact up to 2^53); an int64 with its top bit set comes back negative. */
  varint() {
    const bytes = this.bytes;
    let b = bytes[this.pos++];
    if (b < 128) return b;
    let lo = b & 127;
    b = bytes[this.pos++];
    lo |= (b & 127) << 7;
    if (b < 128) return this.checked(lo);
    b = bytes[this.pos++];
    lo |= (b & 127) << 14;
    if (b < 128) return this.checked(lo);
    b = bytes[this.pos++];
    lo |= (b & 127) << 21;
    if (b < 128) return this.checked(lo);
    b = bytes[this.pos++];
    lo = (lo | (b & 15) << 28) >>> 0;
    let hi = (b & 127) >>> 4;
    for (let shift = 3; b >= 128 && shift < 32; shift += 7) {
      b = bytes[this.pos++];
      hi |= (b & 127) << shift;
    }
    if (b >= 128) throw new ProtoDecodeError("varint longer than ten bytes");
    hi >>>= 0;
    if (hi >= 2147483648) return this.checked(-((~hi >>> 0) * 4294967296 + (~lo >>> 0) + 1));
    return this.checked(hi * 4294967296 + lo);
  }
  checked(value) {
    if (this.pos > this.end) throw new ProtoDecodeError("varint runs past the end of its message");
    return value;
  }
  dataView() {
    this.view ??= new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    return this.view;
  }
  double() {
    this.need(8);
    const value = this.dataView().getFloat64(this.pos, true);
    this.pos += 8;
    return value;
  }
  float() {
    this.need(4);
    const value = this.dataView().getFloat32(this.pos, true);
    this.pos += 4;
    return value;
  }
  fixed32() {
    this.need(4);
    const value = this.dataView().getUint32(this.pos, true);
    this.pos += 4;
    return value;
  }
  /** A length-delimited field's content, as [start, end) in `bytes`. */
  delimited() {
    const length = this.varint();
    const start = this.pos;
    this.need(length);
    this.pos += length;
    return [start, this.pos];
  }
  bytesView() {
    const [start, end] = this.delimited();
    return this.bytes.subarray(start, end);
  }
  string() {
    const [start, end] = this.delimited();
    return textDecoder.decode(this.bytes.subarray(start, end));
  }
  /** A reader over a nested message's content. */
  message() {
    const [start, end] = this.delimited();
    return new _ProtoReader(this.bytes, start, end);
  }
  /** Skips a field's value of this wire type. */
  skip(wireType) {
    switch (wireType) {
      case WIRE.varint:
        this.varint();
        return;
      case WIRE.fixed64:
        this.need(8);
        this.pos += 8;
        return;
      case WIRE.bytes:
        this.delimited();
        return;
      case WIRE.fixed32:
        this.need(4);
        this.pos += 4;
        return;
      default:
        throw new ProtoDecodeError(`unsupported wire type ${wireType}`);
    }
  }
  /** Repeated numbers, packed (one length-delimited field) or not (one value per field). */
  repeated(wireType, read, into) {
    if (wireType !== WIRE.bytes) {
      into.push(read(this));
      return;
    }
    const [start, end] = this.delimited();
    const inner = new _ProtoReader(this.bytes, start, end);
    inner.view = this.view;
    while (inner.pos < end) into.push(read(inner));
  }
  need(n) {
    if (this.pos + n > this.end) throw new ProtoDecodeError("field runs past the end of its message");
  }
};

// src/proto/hparamsProto.ts
function encodeSessionStartInfo(info) {
  const out = new ProtoWriter(256);
  out.varintField(HPARAMS_PLUGIN_DATA.version, 0);
  const start = out.beginField(HPARAMS_PLUGIN_DATA.sessionStartInfo);
  for (const name of Object.keys(info.hparams).sort()) {
    const entry = out.beginField(SESSION_START_INFO.hparams);
    out.stringField(MAP_ENTRY.key, name);
    const value = out.beginField(MAP_ENTRY.value);
    const hparam = info.hparams[name];
    if (typeof hparam === "boolean") out.boolField(STRUCT_VALUE.boolValue, hparam);
    else if (typeof hparam === "number") out.doubleField(STRUCT_VALUE.numberValue, hparam);
    else out.stringField(STRUCT_VALUE.stringValue, hparam);
    out.end(value);
    out.end(entry);
  }
  out.stringField(SESSION_START_INFO.groupName, info.groupName);
  out.doubleField(SESSION_START_INFO.startTimeSecs, info.startTimeSecs);
  out.end(start);
  return out.toBytes();
}
function encodeSessionEndInfo(info) {
  const out = new ProtoWriter(64);
  out.varintField(HPARAMS_PLUGIN_DATA.version, 0);
  const end = out.beginField(HPARAMS_PLUGIN_DATA.sessionEndInfo);
  out.varintField(SESSION_END_INFO.status, info.status);
  out.doubleField(SESSION_END_INFO.endTimeSecs, info.endTimeSecs);
  out.end(end);
  return out.toBytes();
}
function readStructValue(reader) {
  let value;
  while (!reader.done) {
    const key = reader.key();
    const field = key >>> 3;
    if (field === STRUCT_VALUE.numberValue && (key & 7) === WIRE.fixed64) value = reader.double();
    else if (field === STRUCT_VALUE.stringValue && (key & 7) === WIRE.bytes) value = reader.string();
    else if (field === STRUCT_VALUE.boolValue && (key & 7) === WIRE.varint) value = reader.varint() !== 0;
    else reader.skip(key & 7);
  }
  return value;
}
function readStartInfo(reader) {
  const info = { hparams: {}, groupName: "", startTimeSecs: 0 };
  while (!reader.done) {
    const key = reader.key();
    const field = key >>> 3;
    if (field === SESSION_START_INFO.hparams && (key & 7) === WIRE.bytes) {
      const entry = reader.message();
      let name = "";
      let value;
      while (!entry.done) {
        const entryKey = entry.key();
        if (entryKey >>> 3 === MAP_ENTRY.key && (entryKey & 7) === WIRE.bytes) name = entry.string();
        else if (entryKey >>> 3 === MAP_ENTRY.value && (entryKey & 7) === WIRE.bytes)
          value = readStructValue(entry.message());
        else entry.skip(entryKey & 7);
      }
      if (value !== void 0) info.hparams[name] = value;
    } else if (field === SESSION_START_INFO.groupName && (key & 7) === WIRE.bytes) info.groupName = reader.string();
    else if (field === SESSION_START_INFO.startTimeSecs && (key & 7) === WIRE.fixed64)
      info.startTimeSecs = reader.double();
    else reader.skip(key & 7);
  }
  return info;
}
function readEndInfo(reader) {
  const info = { status: 0, endTimeSecs: 0 };
  while (!reader.done) {
    const key = reader.key();
    const field = key >>> 3;
    if (field === SESSION_END_INFO.status && (key & 7) === WIRE.varint) info.status = reader.varint();
    else if (field === SESSION_END_INFO.endTimeSecs && (key & 7) === WIRE.fixed64) info.endTimeSecs = reader.double();
    else reader.skip(key & 7);
  }
  return info;
}
function decodeHparamsPluginData(content) {
  const reader = new ProtoReader(content);
  const data = {};
  while (!reader.done) {
    const key = reader.key();
    const field = key >>> 3;
    if ((key & 7) !== WIRE.bytes) reader.skip(key & 7);
    else if (field === HPARAMS_PLUGIN_DATA.sessionStartInfo) data.sessionStartInfo = readStartInfo(reader.message());
    else if (field === HPARAMS_PLUGIN_DATA.sessionEndInfo) data.sessionEndInfo = readEndInfo(reader.message());
    else if (field === HPARAMS_PLUGIN_DATA.experiment) {
      reader.skip(WIRE.bytes);
      data.experiment = true;
    } else reader.skip(WIRE.bytes);
  }
  return data;
}

// src/proto/tensorProto.ts
function writeDoubleScalarTensor(out, value) {
  out.varintField(TENSOR.dtype, DTYPE.double);
  out.tag(TENSOR.tensorShape, WIRE.bytes);
  out.varint(0);
  out.tag(TENSOR.doubleVal, WIRE.bytes);
  out.varint(8);
  out.double(value);
}
function writeStringTensor(out, items, scalar = false) {
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
function writeEmptyFloatTensor(out) {
  out.varintField(TENSOR.dtype, DTYPE.float);
  const shape = out.beginField(TENSOR.tensorShape);
  const dim = out.beginField(TENSOR_SHAPE.dim);
  out.varintField(TENSOR_DIM.size, 0);
  out.end(dim);
  out.end(shape);
}
function readShape(reader, shape) {
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
function halfToNumber(bits) {
  const sign = bits & 32768 ? -1 : 1;
  const exponent = bits >>> 10 & 31;
  const fraction = bits & 1023;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
function contentNumbers(dtype, content, into) {
  const view = new DataView(content.buffer, content.byteOffset, content.byteLength);
  const read = (width, get) => {
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
function readTensorProto(reader) {
  const tensor = { dtype: 0, shape: [], numbers: [], strings: [] };
  let content;
  const halves = [];
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
  if (content !== void 0 && tensor.dtype !== DTYPE.string) {
    tensor.numbers = [];
    contentNumbers(tensor.dtype, content, tensor.numbers);
  }
  if (tensor.dtype === DTYPE.int32 || tensor.dtype === DTYPE.int16 || tensor.dtype === DTYPE.int8) {
    for (let i = 0; i < tensor.numbers.length; i++) tensor.numbers[i] |= 0;
  }
  return tensor;
}
function shapeSize(shape) {
  let size = 1;
  for (const dim of shape) size *= dim;
  return size;
}
function expandFill(tensor) {
  const size = shapeSize(tensor.shape);
  if (tensor.numbers.length === 1 && size > 1) return new Array(size).fill(tensor.numbers[0]);
  return tensor.numbers;
}

// src/proto/eventEncoder.ts
var textEncoder2 = new TextEncoder();
function metadataBytes(pluginName, dataClass, content) {
  const out = new ProtoWriter(64);
  const plugin = out.beginField(SUMMARY_METADATA.pluginData);
  out.stringField(PLUGIN_DATA.pluginName, pluginName);
  if (content) out.bytesField(PLUGIN_DATA.content, content);
  out.end(plugin);
  if (dataClass !== DATA_CLASS.unknown) out.varintField(SUMMARY_METADATA.dataClass, dataClass);
  return out.toBytes();
}
var METADATA = {
  scalars: metadataBytes(PLUGIN.scalars, DATA_CLASS.scalar),
  images: metadataBytes(PLUGIN.images, DATA_CLASS.blobSequence),
  text: metadataBytes(PLUGIN.text, DATA_CLASS.tensor)
};
var EventEncoder = class {
  constructor(out = new ProtoWriter()) {
    this.out = out;
  }
  tags = /* @__PURE__ */ new Map();
  recordStart = -1;
  summaryStart = -1;
  /** Bytes reserved for the Summary's length: the size the last event's needed (events of a loop are alike). */
  summaryLengthBytes = 1;
  valueStart = 0;
  /** The first event of every file: `file_version: "brain.Event:2"`. */
  fileVersion(wallTime) {
    const start = beginRecord(this.out);
    this.out.doubleField(EVENT.wallTime, wallTime);
    this.out.stringField(EVENT.fileVersion, FILE_VERSION);
    endRecord(this.out, start);
  }
  /** A SessionLog event (status 1 START marks a restart for TensorBoard's purge of orphaned steps). */
  sessionLog(wallTime, step, status) {
    const start = beginRecord(this.out);
    this.out.doubleField(EVENT.wallTime, wallTime);
    if (step !== 0) this.out.varintField(EVENT.step, step);
    const log = this.out.beginField(EVENT.sessionLog);
    this.out.varintField(SESSION_LOG.status, status);
    this.out.end(log);
    endRecord(this.out, start);
  }
  beginEvent(wallTime, step) {
    const out = this.out;
    this.position = 0;
    this.recordStart = beginRecord(out);
    out.doubleField(EVENT.wallTime, wallTime);
    if (step !== 0) out.varintField(EVENT.step, step);
    out.tag(EVENT.summary, WIRE.bytes);
    this.summaryStart = out.begin(this.summaryLengthBytes);
  }
  /** Ends the event; an event that got no value is taken back (nothing is written). */
  endEvent() {
    const out = this.out;
    if (out.pos === this.summaryStart) {
      out.pos = this.recordStart - RECORD_HEADER_BYTES;
      return;
    }
    const reserved = this.summaryLengthBytes;
    this.summaryLengthBytes = ProtoWriter.varintSize(out.pos - this.summaryStart);
    out.end(this.summaryStart, reserved);
    endRecord(out, this.recordStart);
  }
  beginValue(tag, metadata) {
    const out = this.out;
    const state = this.tagState(tag);
    out.tag(SUMMARY.value, WIRE.bytes);
    this.valueStart = out.begin();
    out.raw(state.field);
    if (metadata !== void 0 && !state.described) {
      state.described = true;
      out.bytesField(SUMMARY_VALUE.metadata, metadata);
    }
    return state;
  }
  endValue() {
    this.out.end(this.valueStart);
  }
  // The tags of the last event, by position: a loop logging the same keys finds their states without a lookup.
  recentTags = [];
  recentStates = [];
  position = 0;
  tagState(tag) {
    const position = this.position++;
    if (this.recentTags[position] === tag) return this.recentStates[position];
    let state = this.tags.get(tag);
    if (state === void 0) {
      const text = textEncoder2.encode(tag);
      const out = new ProtoWriter(text.length + 8);
      out.bytesField(SUMMARY_VALUE.tag, text);
      state = {
        field: out.toBytes(),
        described: false,
        lastScalar: Number.NaN,
        hasScalar: false,
        scalarValue: void 0
      };
      this.tags.set(tag, state);
    }
    this.recentTags[position] = tag;
    this.recentStates[position] = state;
    return state;
  }
  /** The last scalar written under `tag` in this file (to tell which summary values add something). */
  lastScalar(tag) {
    const state = this.tags.get(tag);
    return state?.hasScalar ? state.lastScalar : void 0;
  }
  /** A scalar in TensorBoard's current form: a float64 scalar tensor with the scalars plugin's metadata. */
  scalar(tag, value) {
    const state = this.tagState(tag);
    state.lastScalar = value;
    state.hasScalar = true;
    if (state.described) {
      const template = state.scalarValue ?? this.scalarTemplate(state);
      const out = this.out;
      out.ensure(template.length);
      const bytes = out.bytes;
      const at = out.pos;
      for (let i = 0; i < template.length - 8; i++) bytes[at + i] = template[i];
      out.pos = at + template.length - 8;
      out.double(value);
      return;
    }
    this.beginValue(tag, METADATA.scalars);
    const tensor = this.out.beginField(SUMMARY_VALUE.tensor);
    writeDoubleScalarTensor(this.out, value);
    this.out.end(tensor);
    this.endValue();
  }
  /**
   * The Summary.Value bytes of a scalar of `tag` with its 8 value bytes last, once the tag's metadata has been
   * written in this file (else undefined: write the tag's first scalar with `scalar`). For writers that lay out
   * whole events themselves (export's rows of numbers); they report the scalars they write with `noteScalar`.
   */
  scalarValueBytes(tag) {
    const state = this.tags.get(tag);
    if (state === void 0 || !state.described) return void 0;
    return state.scalarValue ?? this.scalarTemplate(state);
  }
  /** Records `value` as the last scalar of `tag` (see `lastScalar`), for scalars written without `scalar`. */
  noteScalar(tag, value) {
    const state = this.tags.get(tag);
    if (state === void 0) return;
    state.lastScalar = value;
    state.hasScalar = true;
  }
  scalarTemplate(state) {
    const out = new ProtoWriter(state.field.length + 32);
    const value = out.beginField(SUMMARY.value);
    out.raw(state.field);
    const tensor = out.beginField(SUMMARY_VALUE.tensor);
    writeDoubleScalarTensor(out, 0);
    out.end(tensor);
    out.end(value);
    state.scalarValue = out.toBytes();
    return state.scalarValue;
  }
  /** A scalar in the legacy form (`simple_value`, float32), as tf.node.tensorBoard and PyTorch write it. */
  simpleValue(tag, value) {
    const state = this.beginValue(tag, void 0);
    state.lastScalar = value;
    state.hasScalar = true;
    this.out.floatField(SUMMARY_VALUE.simpleValue, value);
    this.endValue();
  }
  /** A histogram as a HistogramProto (`histo`), bins exactly as given. */
  histogram(tag, edges, counts, moments) {
    this.beginValue(tag, void 0);
    const histo = this.out.beginField(SUMMARY_VALUE.histo);
    writeHistogramProto(this.out, edges, counts, moments);
    this.out.end(histo);
    this.endValue();
  }
  /** Encoded images (PNG, JPEG...) of one size, in the image plugin's tensor form: [width, height, image...]. */
  images(tag, width, height, encoded) {
    this.beginValue(tag, METADATA.images);
    const tensor = this.out.beginField(SUMMARY_VALUE.tensor);
    writeStringTensor(this.out, [textEncoder2.encode(String(width)), textEncoder2.encode(String(height)), ...encoded]);
    this.out.end(tensor);
    this.endValue();
  }
  /** Text (markdown) for the text plugin: a scalar string tensor. */
  text(tag, text) {
    this.beginValue(tag, METADATA.text);
    const tensor = this.out.beginField(SUMMARY_VALUE.tensor);
    writeStringTensor(this.out, [textEncoder2.encode(text)], true);
    this.out.end(tensor);
    this.endValue();
  }
  /** The hparams plugin's session_start_info: the run's hyperparameters, for the HParams tab. */
  sessionStart(wallTime, info) {
    this.hparamsEvent(wallTime, HPARAMS_TAGS.sessionStartInfo, encodeSessionStartInfo(info));
  }
  /** The hparams plugin's session_end_info: how the run ended. */
  sessionEnd(wallTime, info) {
    this.hparamsEvent(wallTime, HPARAMS_TAGS.sessionEndInfo, encodeSessionEndInfo(info));
  }
  hparamsEvent(wallTime, tag, content) {
    this.beginEvent(wallTime, 0);
    const out = this.out;
    const value = out.beginField(SUMMARY.value);
    out.raw(this.tagState(tag).field);
    out.bytesField(SUMMARY_VALUE.metadata, metadataBytes(PLUGIN.hparams, DATA_CLASS.unknown, content));
    const tensor = out.beginField(SUMMARY_VALUE.tensor);
    writeEmptyFloatTensor(out);
    out.end(tensor);
    out.end(value);
    this.endEvent();
  }
};

// src/format/eventFileWriter.ts
var EventFileWriter = class {
  constructor(path, options = {}) {
    this.path = path;
    this.options = options;
    this.writePath = options.atomic ? join(dirname(path), `.${basename(path).replace("tfevents", "events")}.${process.pid}.tmp`) : path;
    this.encoder = new EventEncoder(new ProtoWriter(options.bufferBytes));
    this.encoder.fileVersion(options.startTime ?? Date.now() / 1e3);
  }
  encoder;
  handle;
  syncFd;
  writing = Promise.resolve();
  closed = false;
  /** An asynchronous write has taken its bytes and not finished. */
  inFlight = false;
  /** A background flush was asked for and has not started yet. */
  flushRequested = false;
  /** The buffer the last write finished with: the encoder's next buffer (no copy, no new allocation). */
  spare;
  /** Bytes appended to the file so far. */
  bytesWritten = 0;
  writePath;
  /** Bytes encoded but not yet handed to the file. */
  get pendingBytes() {
    return this.encoder.out.pos;
  }
  /** Appends everything encoded so far to the file. */
  flush() {
    this.writing = this.writing.catch(() => void 0).then(() => this.writePending());
    return this.writing;
  }
  /**
   * For hot paths (a sink called on every log): starts a background flush once `threshold` bytes are pending,
   * and writes synchronously when four times that piled up because the caller's loop never yields.
   */
  flushIfLarge(threshold) {
    const pending = this.encoder.out.pos;
    if (pending < threshold) return;
    if (pending >= 4 * threshold && !this.inFlight) this.flushSync();
    else if (!this.flushRequested) {
      this.flushRequested = true;
      void this.flush().catch(() => void 0);
    }
  }
  async writePending() {
    this.flushRequested = false;
    const out = this.encoder.out;
    if (out.pos === 0) return;
    const bytes = out.swap(this.spare);
    this.spare = void 0;
    this.inFlight = true;
    try {
      if (this.handle === void 0) {
        await mkdir(dirname(this.path), { recursive: true });
        this.handle = await open(this.writePath, "a");
      }
      let offset = 0;
      while (offset < bytes.length) {
        const { bytesWritten } = await this.handle.write(bytes, offset, bytes.length - offset);
        offset += bytesWritten;
      }
      this.bytesWritten += bytes.length;
    } finally {
      this.inFlight = false;
      this.spare = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.buffer.byteLength - bytes.byteOffset);
    }
  }
  /** Appends what is encoded now, synchronously (exit handlers, loops that never yield). */
  flushSync() {
    const out = this.encoder.out;
    if (out.pos === 0) return;
    try {
      if (this.syncFd === void 0) {
        mkdirSync(dirname(this.path), { recursive: true });
        this.syncFd = openSync(this.writePath, "a");
      }
      let offset = 0;
      while (offset < out.pos) offset += writeSync(this.syncFd, out.bytes, offset, out.pos - offset);
      this.bytesWritten += out.pos;
    } finally {
      out.reset();
    }
  }
  /** Flushes and closes the file (renaming an atomic file to its final name). Calling it again does nothing. */
  async close() {
    if (this.closed) return this.writing;
    this.closed = true;
    await this.flush();
    await this.handle?.close();
    this.handle = void 0;
    if (this.syncFd !== void 0) closeSync(this.syncFd);
    if (this.options.atomic) await rename(this.writePath, this.path);
  }
  /**
   * Closes synchronously: what is encoded now is in the file when this returns (a run's finish, exit handlers).
   * A write already under way completes in the background and its handle is closed after it.
   */
  closeSync() {
    if (this.closed) return;
    this.closed = true;
    this.flushSync();
    if (this.syncFd !== void 0) closeSync(this.syncFd);
    this.syncFd = void 0;
    if (this.options.atomic) renameSync(this.writePath, this.path);
    this.writing = this.writing.catch(() => void 0).then(async () => {
      await this.handle?.close();
      this.handle = void 0;
    });
  }
  /** Gives up an atomic file: its temporary file is removed and nothing appears under `path`. */
  async abandon() {
    this.closed = true;
    await this.writing.catch(() => void 0);
    await this.handle?.close().catch(() => void 0);
    this.handle = void 0;
    if (this.options.atomic) await rm(this.writePath, { force: true });
  }
};

// src/images/boxOverlay.ts
import sharp from "sharp";

// src/images/classPalette.ts
function classColor(id) {
  if (id === 0) return [0, 0, 0];
  const hue = id * 137.508 % 360;
  return hslToRgb(hue, 0.75, 0.55);
}
function hslToRgb(hue, saturation, lightness) {
  const chroma = (1 - Math.abs(2 * lightness - 1)) * saturation;
  const x = chroma * (1 - Math.abs(hue / 60 % 2 - 1));
  const m = lightness - chroma / 2;
  const [r, g, b] = hue < 60 ? [chroma, x, 0] : hue < 120 ? [x, chroma, 0] : hue < 180 ? [0, chroma, x] : hue < 240 ? [0, x, chroma] : hue < 300 ? [x, 0, chroma] : [chroma, 0, x];
  return [Math.round((r + m) * 255), Math.round((g + m) * 255), Math.round((b + m) * 255)];
}

// src/images/boxOverlay.ts
var LINE_WIDTH = 2;
function toPixels(box, width, height) {
  const position = box.position;
  if (!position) return void 0;
  const scaleX = box.domain === "pixel" ? 1 : width;
  const scaleY = box.domain === "pixel" ? 1 : height;
  let minX;
  let maxX;
  let minY;
  let maxY;
  if (Array.isArray(position.middle)) {
    const [x, y] = position.middle;
    const w = Number(position.width);
    const h = Number(position.height);
    [minX, maxX, minY, maxY] = [x - w / 2, x + w / 2, y - h / 2, y + h / 2];
  } else {
    [minX, maxX, minY, maxY] = [position.minX, position.maxX, position.minY, position.maxY].map(Number);
  }
  const clampX = (v) => Math.min(width - 1, Math.max(0, Math.round(v * scaleX)));
  const clampY = (v) => Math.min(height - 1, Math.max(0, Math.round(v * scaleY)));
  const pixels = { left: clampX(minX), right: clampX(maxX), top: clampY(minY), bottom: clampY(maxY) };
  if (![pixels.left, pixels.right, pixels.top, pixels.bottom].every(Number.isFinite)) return void 0;
  return { ...pixels, classId: Number(box.classId) || 0 };
}
async function drawBoxes(image, boxes) {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  const paint = (x, y, color) => {
    const at = (y * width + x) * 3;
    data[at] = color[0];
    data[at + 1] = color[1];
    data[at + 2] = color[2];
  };
  for (const raw of boxes) {
    const box = toPixels(raw, width, height);
    if (!box) continue;
    const color = classColor(box.classId === 0 ? 1 : box.classId);
    for (let t = 0; t < LINE_WIDTH; t++) {
      for (let x = box.left; x <= box.right; x++) {
        paint(x, Math.min(height - 1, box.top + t), color);
        paint(x, Math.max(0, box.bottom - t), color);
      }
      for (let y = box.top; y <= box.bottom; y++) {
        paint(Math.min(width - 1, box.left + t), y, color);
        paint(Math.max(0, box.right - t), y, color);
      }
    }
  }
  const png = await sharp(data, { raw: { width, height, channels: 3 } }).png().toBuffer();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

// src/images/maskImage.ts
import sharp2 from "sharp";
async function colorizeMask(maskPng) {
  const { data, info } = await sharp2(maskPng).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  const rgb = Buffer.alloc(info.width * info.height * 3);
  const palette = /* @__PURE__ */ new Map();
  for (let i = 0; i < info.width * info.height; i++) {
    const id = data[i];
    let color = palette.get(id);
    if (color === void 0) {
      color = classColor(id);
      palette.set(id, color);
    }
    rgb[i * 3] = color[0];
    rgb[i * 3 + 1] = color[1];
    rgb[i * 3 + 2] = color[2];
  }
  const png = await sharp2(rgb, { raw: { width: info.width, height: info.height, channels: 3 } }).png().toBuffer();
  return { png: new Uint8Array(png.buffer, png.byteOffset, png.byteLength), width: info.width, height: info.height };
}

// src/images/imageSummaries.ts
async function imageSummaries(tag, refs, load) {
  const images2 = await Promise.all(refs.map((ref) => load(String(ref.path))));
  const first = refs[0];
  const summaries = [
    { tag, width: Number(first.width) || 0, height: Number(first.height) || 0, encoded: images2 }
  ];
  const maskNames = new Set(refs.flatMap((ref) => Object.keys(ref.masks ?? {})));
  for (const name of maskNames) {
    const colored = await Promise.all(
      refs.map((ref) => ref.masks?.[name]?.path).filter((path) => typeof path === "string").map(async (path) => colorizeMask(await load(path)))
    );
    if (colored.length === 0) continue;
    summaries.push({
      tag: `${tag}/masks/${name}`,
      width: colored[0].width,
      height: colored[0].height,
      encoded: colored.map((c) => c.png)
    });
  }
  const boxGroups = new Set(refs.flatMap((ref) => Object.keys(ref.boxes ?? {})));
  for (const name of boxGroups) {
    const drawn = [];
    for (let i = 0; i < refs.length; i++) {
      const group = refs[i].boxes?.[name];
      if (group && Array.isArray(group.boxData)) drawn.push(await drawBoxes(images2[i], group.boxData));
    }
    if (drawn.length > 0)
      summaries.push({
        tag: `${tag}/boxes/${name}`,
        width: summaries[0].width,
        height: summaries[0].height,
        encoded: drawn
      });
  }
  return summaries;
}

// src/logdir/runMediaFiles.ts
function runMediaFiles(run) {
  const ref = { project: run.project, id: run.id };
  return async (name) => {
    const first = await run.access.readFile(ref, name);
    if (first.bytes.length === first.size) return first.bytes;
    const bytes = new Uint8Array(first.size);
    bytes.set(first.bytes);
    let offset = first.bytes.length;
    while (offset < first.size) {
      const chunk = await run.access.readFile(ref, name, { offset });
      if (chunk.bytes.length === 0) break;
      bytes.set(chunk.bytes, offset);
      offset += chunk.bytes.length;
    }
    return bytes.subarray(0, offset);
  };
}

// src/values/summaryTarget.ts
function countSkip(counts, kind) {
  counts[kind] = (counts[kind] ?? 0) + 1;
}

// src/values/encoderTarget.ts
var EncoderTarget = class {
  constructor(encoder, scalarForm = "tensor") {
    this.encoder = encoder;
    this.scalarForm = scalarForm;
  }
  skipped = {};
  pendingImages = [];
  scalar(tag, value) {
    if (this.scalarForm === "tensor") this.encoder.scalar(tag, value);
    else this.encoder.simpleValue(tag, value);
  }
  histogram(tag, edges, counts) {
    this.encoder.histogram(tag, edges, counts);
  }
  text(tag, text) {
    this.encoder.text(tag, text);
  }
  images(tag, refs) {
    this.pendingImages.push({ tag, refs });
  }
  skip(kind) {
    countSkip(this.skipped, kind);
  }
  /** The images collected so far, handed over (and forgotten here). */
  takeImages() {
    const images2 = this.pendingImages;
    this.pendingImages = [];
    return images2;
  }
};

// src/values/hparamsFromConfig.ts
function hparamsFromConfig(config, prefix = "", into = {}) {
  for (const [key, value] of Object.entries(config)) {
    const name = prefix + key;
    if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") into[name] = value;
    else if (typeof value === "bigint") into[name] = Number(value);
    else if (value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof Date))
      hparamsFromConfig(value, `${name}.`, into);
    else if (value !== void 0) into[name] = JSON.stringify(value) ?? String(value);
  }
  return into;
}

// src/values/storedValue.ts
function visitStoredValue(target, tag, value) {
  switch (typeof value) {
    case "number":
      target.scalar(tag, value);
      return;
    case "boolean":
      target.scalar(tag, value ? 1 : 0);
      return;
    case "string":
      target.text(tag, value);
      return;
    case "object":
      break;
    default:
      target.skip(typeof value);
      return;
  }
  if (value === null || value instanceof Date || Array.isArray(value)) {
    target.skip(value === null ? "null" : Array.isArray(value) ? "array" : "date");
    return;
  }
  const object = value;
  const type = object._type;
  if (type === void 0) {
    for (const key of Object.keys(object)) visitStoredValue(target, `${tag}.${key}`, object[key]);
    return;
  }
  switch (type) {
    case "histogram": {
      const bins = object.bins;
      const counts = object.values;
      if (!Array.isArray(bins) || !Array.isArray(counts) || counts.length === 0 || bins.length !== counts.length + 1)
        target.skip("histogram (empty)");
      else target.histogram(tag, bins, counts);
      return;
    }
    case "image-file":
      target.images(tag, [object]);
      return;
    case "image-list": {
      const items = object.items?.filter((item) => item?._type === "image-file");
      if (items && items.length > 0) target.images(tag, items);
      else target.skip("image-list (empty)");
      return;
    }
    case "text":
      if (typeof object.text === "string") target.text(tag, object.text);
      else target.skip("text");
      return;
    default:
      target.skip(String(type));
  }
}

// src/values/summaryScalars.ts
function summaryScalars(summary, lastScalar) {
  const out = [];
  const visit = (path, value) => {
    if (typeof value === "number") {
      const last = lastScalar(path);
      if (last === void 0 || !Object.is(last, value)) out.push([`summary/${path}`, value]);
    } else if (value !== null && typeof value === "object" && !Array.isArray(value) && !("_type" in value)) {
      for (const [key, inner] of Object.entries(value)) visit(`${path}.${key}`, inner);
    }
  };
  for (const [key, value] of Object.entries(summary)) visit(key, value);
  return out;
}

// src/format/crcTerms.ts
var POLYNOMIAL2 = 2197175160;
var BYTE_TERMS = Int32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? c >>> 1 ^ POLYNOMIAL2 : c >>> 1;
  return c;
});
function crcTermTable(distances) {
  const table = new Int32Array(distances.length * 256);
  let farthest = 0;
  for (let slot = 0; slot < distances.length; slot++) farthest = Math.max(farthest, distances[slot]);
  const slotsAt = /* @__PURE__ */ new Map();
  for (let slot = 0; slot < distances.length; slot++) {
    const slots = slotsAt.get(distances[slot]);
    if (slots === void 0) slotsAt.set(distances[slot], [slot]);
    else slots.push(slot);
  }
  const terms = Int32Array.from(BYTE_TERMS);
  for (let distance = 0; distance <= farthest; distance++) {
    if (distance > 0) {
      for (let b = 0; b < 256; b++) {
        const r = terms[b];
        terms[b] = BYTE_TERMS[r & 255] ^ r >>> 8;
      }
    }
    for (const slot of slotsAt.get(distance) ?? []) table.set(terms, slot * 256);
  }
  return table;
}

// src/export/flatRowEvents.ts
var WALL_TIME_TAG = EVENT.wallTime * 8 + WIRE.fixed64;
var STEP_TAG = EVENT.step * 8 + WIRE.varint;
var EVENT_HEAD_BYTES = 15;
var MAX_LAYOUTS = 64;
var MAX_TERMED_KEYS = 64;
var FlatRowEvents = class {
  constructor(encoder) {
    this.encoder = encoder;
  }
  layout;
  layouts = /* @__PURE__ */ new Map();
  view;
  viewOf;
  /** The header CRC of the last record length seen (events of one layout have a length or two). */
  headerLength = -1;
  headerCrc = 0;
  /**
   * Writes `row` as one event at its `_timestamp`; false (nothing written) when the caller must write it (also a
   * row without `_timestamp`: the caller knows the time before). One argument: a double passed to a call that is
   * not inlined is boxed, a million times here.
   */
  write(row) {
    const step = row.step;
    const wallTime = row.timestamp;
    if (!(step >= 0 && step <= 2147483647 && Math.floor(step) === step) || Number.isNaN(wallTime)) return false;
    let layout = this.layout;
    if (layout === void 0 || !sameKeys(layout.keys, row)) {
      layout = this.switchTo(row);
      if (layout === void 0) return false;
    }
    const out = this.encoder.out;
    const summary = layout.summary;
    out.ensure(RECORD_HEADER_BYTES + EVENT_HEAD_BYTES + summary.length + RECORD_FOOTER_BYTES);
    const bytes = out.bytes;
    if (bytes !== this.viewOf) {
      this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      this.viewOf = bytes;
    }
    const view = this.view;
    const recordStart = out.pos;
    const dataStart = recordStart + RECORD_HEADER_BYTES;
    let p = dataStart;
    bytes[p] = WALL_TIME_TAG;
    view.setFloat64(p + 1, wallTime, true);
    p += 9;
    if (step !== 0) {
      bytes[p++] = STEP_TAG;
      let v = step;
      while (v > 127) {
        bytes[p++] = v & 127 | 128;
        v >>>= 7;
      }
      bytes[p++] = v;
    }
    const stepBytes = step === 0 ? 0 : p - dataStart - 10;
    const summaryStart = p;
    bytes.set(summary, p);
    const { valueAt, lastValues } = layout;
    const values = row.values;
    for (let i = 0; i < valueAt.length; i++) {
      const value = values[i];
      view.setFloat64(p + valueAt[i], value, true);
      lastValues[i] = value;
    }
    layout.unreported = true;
    p += summary.length;
    const length = p - dataStart;
    if (length !== this.headerLength) this.setHeader(length);
    view.setUint32(recordStart, length, true);
    view.setUint32(recordStart + 4, 0, true);
    view.setUint32(recordStart + 8, this.headerCrc, true);
    const valueTerms = layout.valueTerms;
    if (valueTerms === void 0) view.setUint32(p, maskedCrc32c(bytes, dataStart, p), true);
    else {
      const head = layout.heads[stepBytes] ?? this.headOf(layout, bytes, dataStart, p, stepBytes);
      let crc = head.crc;
      const headTerms = head.terms;
      for (let j = 0; j < 8; j++) crc ^= headTerms[j << 8 | bytes[dataStart + 1 + j]];
      for (let j = 0; j < stepBytes; j++) crc ^= headTerms[8 + j << 8 | bytes[dataStart + 10 + j]];
      for (let k = 0, slot = 0; k < valueAt.length; k++) {
        const at = summaryStart + valueAt[k];
        for (let j = 0; j < 8; j++, slot += 256) crc ^= valueTerms[slot | bytes[at + j]];
      }
      view.setUint32(p, maskCrc(crc >>> 0), true);
    }
    out.pos = p + RECORD_FOOTER_BYTES;
    return true;
  }
  /** The CRC start and head terms of `layout`'s events with a step of `stepBytes`, from the event just written. */
  headOf(layout, bytes, start, end, stepBytes) {
    const template = bytes.slice(start, end);
    template.fill(0, 1, 9);
    if (stepBytes > 0) template.fill(0, 10, 10 + stepBytes);
    const summaryStart = template.length - layout.summary.length;
    for (const at of layout.valueAt) template.fill(0, summaryStart + at, summaryStart + at + 8);
    const distances = [];
    for (let j = 0; j < 8; j++) distances.push(template.length - 2 - j);
    for (let j = 0; j < stepBytes; j++) distances.push(template.length - 11 - j);
    const head = { crc: crc32c(template) | 0, terms: crcTermTable(distances) };
    layout.heads[stepBytes] = head;
    return head;
  }
  /** Reports the last values written here to the encoder: call it before the encoder writes scalars itself. */
  settle() {
    const layout = this.layout;
    if (layout === void 0 || !layout.unreported) return;
    layout.unreported = false;
    for (let i = 0; i < layout.keys.length; i++) this.encoder.noteScalar(layout.keys[i], layout.lastValues[i]);
  }
  /** Makes the layout of `row`'s keys current (settling the one before); undefined when a tag is not described. */
  switchTo(row) {
    this.settle();
    const keys = row.keys.slice(0, row.length);
    const name = keys.join("\n");
    let layout = this.layouts.get(name);
    if (layout === void 0) {
      layout = this.layOut(keys);
      if (layout === void 0) return void 0;
      if (this.layouts.size >= MAX_LAYOUTS) this.layouts.clear();
      this.layouts.set(name, layout);
    }
    this.layout = layout;
    return layout;
  }
  layOut(keys) {
    if (keys.length === 0) return void 0;
    const values = [];
    let length = 0;
    for (const key of keys) {
      const value = this.encoder.scalarValueBytes(key);
      if (value === void 0) return void 0;
      values.push(value);
      length += value.length;
    }
    const out = new ProtoWriter(length + 8);
    out.tag(EVENT.summary, WIRE.bytes);
    out.varint(length);
    const valueAt = new Int32Array(keys.length);
    values.forEach((value, i) => {
      out.raw(value);
      valueAt[i] = out.pos - 8;
    });
    const summary = out.toBytes();
    const distances = [];
    for (const at of valueAt) for (let j = 0; j < 8; j++) distances.push(summary.length - 1 - at - j);
    return {
      keys,
      summary,
      valueAt,
      lastValues: new Float64Array(keys.length),
      unreported: false,
      valueTerms: keys.length <= MAX_TERMED_KEYS ? crcTermTable(distances) : void 0,
      heads: []
    };
  }
  setHeader(length) {
    const header = new Uint8Array(8);
    new DataView(header.buffer).setUint32(0, length, true);
    this.headerLength = length;
    this.headerCrc = maskedCrc32c(header);
  }
};
function sameKeys(keys, row) {
  if (keys.length !== row.length) return false;
  const rowKeys = row.keys;
  for (let i = 0; i < keys.length; i++) if (keys[i] !== rowKeys[i]) return false;
  return true;
}

// src/export/exportRun.ts
var FLUSH_BYTES = 4 * 1024 * 1024;
var RUNLOG_COLUMNS = /* @__PURE__ */ new Set(["_step", "_runtime", "_timestamp"]);
function seconds(iso) {
  const time = iso ? Date.parse(iso) : Number.NaN;
  return (Number.isNaN(time) ? Date.now() : time) / 1e3;
}
function endStatus(state) {
  if (state === "finished") return HPARAMS_STATUS.success;
  if (state === "running" || state === "pending" || state === "preempting") return HPARAMS_STATUS.running;
  return HPARAMS_STATUS.failure;
}
async function exportRun(run, options) {
  const created = seconds(run.createdAt);
  const path = join2(
    options.folder,
    `events.out.tfevents.${String(Math.floor(created)).padStart(10, "0")}.runlog.${run.id}`
  );
  const writer = new EventFileWriter(path, { atomic: true, startTime: created, bufferBytes: 4 * FLUSH_BYTES });
  const encoder = writer.encoder;
  const target = new EncoderTarget(encoder, options.scalars);
  const load = runMediaFiles(run);
  const result = { run: run.path, file: path, rows: 0, images: 0, skipped: target.skipped };
  try {
    encoder.sessionStart(seconds(run.startedAt), {
      hparams: hparamsFromConfig(run.config),
      groupName: run.id,
      startTimeSecs: seconds(run.startedAt)
    });
    const last = Float64Array.of(0, created);
    let flushing;
    let failure;
    const flushIfLarge = () => {
      if (failure !== void 0) throw failure;
      if (flushing !== void 0 || writer.pendingBytes < FLUSH_BYTES) return;
      flushing = writer.flush().then(
        () => {
          flushing = void 0;
        },
        (error) => {
          failure = error;
          flushing = void 0;
        }
      );
    };
    const rowEvents = options.scalars === "simple_value" ? void 0 : new FlatRowEvents(encoder);
    const scan = run.scanHistory({
      onProgress: (read, total) => options.onProgress?.(total > 0 ? read / total : 1)
    });
    await scan.visit({
      // Rows of numbers (nearly all of a long run): straight from the history's bytes into the event, no objects.
      flat: (row) => {
        if (rowEvents?.write(row)) last[1] = row.timestamp;
        else {
          const time = Number.isNaN(row.timestamp) ? last[1] : row.timestamp;
          rowEvents?.settle();
          encoder.beginEvent(time, row.step);
          const { keys, values } = row;
          for (let i = 0; i < row.length; i++) target.scalar(keys[i], values[i]);
          encoder.endEvent();
          last[1] = time;
        }
        result.rows++;
        last[0] = row.step;
        flushIfLarge();
      },
      row: async (row) => {
        rowEvents?.settle();
        const step = typeof row._step === "number" ? row._step : last[0];
        const time = typeof row._timestamp === "number" ? row._timestamp : last[1];
        encoder.beginEvent(time, step);
        for (const key in row) {
          const value = row[key];
          if (typeof value === "number") {
            if (key.charCodeAt(0) !== 95 || !RUNLOG_COLUMNS.has(key)) target.scalar(key, value);
          } else visitStoredValue(target, key, value);
        }
        encoder.endEvent();
        result.rows++;
        last[0] = step;
        last[1] = time;
        if (target.pendingImages.length > 0) result.images += await writeImages(target, encoder, time, step, load);
        flushIfLarge();
      }
    });
    rowEvents?.settle();
    await flushing;
    if (failure !== void 0) throw failure;
    const extra = summaryScalars(run.summary, (tag) => encoder.lastScalar(tag));
    if (extra.length > 0) {
      encoder.beginEvent(last[1], last[0]);
      for (const [tag, value] of extra) target.scalar(tag, value);
      encoder.endEvent();
    }
    encoder.sessionEnd(seconds(run.finishedAt ?? run.updatedAt), {
      status: endStatus(run.state),
      endTimeSecs: seconds(run.finishedAt ?? run.updatedAt)
    });
    await writer.close();
  } catch (error) {
    await writer.abandon();
    throw error;
  }
  options.onProgress?.(1);
  return result;
}
async function writeImages(target, encoder, time, step, load) {
  let count = 0;
  for (const { tag, refs } of target.takeImages()) {
    let summaries;
    try {
      summaries = await imageSummaries(tag, refs, load);
    } catch {
      target.skip("image (unreadable)");
      continue;
    }
    encoder.beginEvent(time, step);
    for (const summary of summaries) encoder.images(summary.tag, summary.width, summary.height, summary.encoded);
    encoder.endEvent();
    count += refs.length;
  }
  return count;
}

// src/export/exportRuns.ts
import { readdir } from "fs/promises";
import { join as join3, resolve } from "path";

// src/format/eventFileName.ts
import { hostname } from "os";
var counter = 0;
function eventFileName(now = Date.now()) {
  const seconds2 = String(Math.floor(now / 1e3)).padStart(10, "0");
  const host = hostname().replace(/[^A-Za-z0-9._-]/g, "_") || "host";
  return `events.out.tfevents.${seconds2}.${host}.${process.pid}.${counter++}`;
}
function isEventFileName(name) {
  return name.includes("tfevents");
}

// src/logdir/runFolderName.ts
function runFolderName(name) {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 100).replace(/^\.+$/, "_");
  return safe === "" ? "_" : safe;
}

// src/export/exportRuns.ts
async function holdsOtherEvents(folder, runId2) {
  const names = await readdir(folder).catch(() => []);
  return names.some((name) => isEventFileName(name) && !name.endsWith(`.runlog.${runId2}`));
}
async function exportRuns(runs, options) {
  const logdir = resolve(options.logdir);
  const counts = /* @__PURE__ */ new Map();
  for (const run of runs) counts.set(run.name, (counts.get(run.name) ?? 0) + 1);
  const results = [];
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i];
    let folder = join3(logdir, runFolderName(run.name));
    if ((counts.get(run.name) ?? 0) > 1 || await holdsOtherEvents(folder, run.id)) {
      folder = join3(logdir, runFolderName(`${run.name}-${run.id}`));
    }
    results.push(
      await exportRun(run, {
        folder,
        scalars: options.scalars,
        onProgress: (fraction) => options.onProgress?.((i + fraction) / runs.length, run.path)
      })
    );
  }
  return results;
}

// src/format/recordReader.ts
function scanRecords(bytes, start, end, onRecord) {
  const scan = { end: start, records: 0, badDataCrc: 0, skippedBytes: 0, truncated: false };
  let pos = start;
  while (pos < end) {
    if (end - pos < RECORD_HEADER_BYTES) {
      scan.truncated = true;
      break;
    }
    const lengthLow = readUint32LE(bytes, pos);
    const lengthHigh = readUint32LE(bytes, pos + 4);
    if (maskedCrc32c(bytes, pos, pos + 8) !== readUint32LE(bytes, pos + 8)) {
      pos++;
      scan.skippedBytes++;
      scan.end = pos;
      continue;
    }
    const length = lengthHigh * 4294967296 + lengthLow;
    const dataStart = pos + RECORD_HEADER_BYTES;
    const dataEnd = dataStart + length;
    if (dataEnd + RECORD_FOOTER_BYTES > end) {
      scan.truncated = true;
      break;
    }
    if (maskedCrc32c(bytes, dataStart, dataEnd) === readUint32LE(bytes, dataEnd)) {
      onRecord(dataStart, dataEnd);
      scan.records++;
    } else scan.badDataCrc++;
    pos = dataEnd + RECORD_FOOTER_BYTES;
    scan.end = pos;
  }
  return scan;
}
function readUint32LE(bytes, at) {
  return (bytes[at] | bytes[at + 1] << 8 | bytes[at + 2] << 16 | bytes[at + 3] << 24) >>> 0;
}

// src/import/importLogdir.ts
import { stat as stat3 } from "fs/promises";
import { NotFoundError as NotFoundError2 } from "@runlog/core";

// src/import/eventSource.ts
import { open as open2, readdir as readdir2, stat } from "fs/promises";
import { join as join4 } from "path";

// src/proto/eventDecoder.ts
var textDecoder2 = new TextDecoder();
function readMetadata(reader, value) {
  while (!reader.done) {
    const key = reader.key();
    if (key >>> 3 === SUMMARY_METADATA.pluginData && (key & 7) === WIRE.bytes) {
      const plugin = reader.message();
      while (!plugin.done) {
        const pluginKey = plugin.key();
        if (pluginKey >>> 3 === PLUGIN_DATA.pluginName && (pluginKey & 7) === WIRE.bytes)
          value.pluginName = plugin.string();
        else if (pluginKey >>> 3 === PLUGIN_DATA.content && (pluginKey & 7) === WIRE.bytes)
          value.pluginContent = plugin.bytesView();
        else plugin.skip(pluginKey & 7);
      }
    } else reader.skip(key & 7);
  }
}
function readValue(reader) {
  const value = {
    tag: "",
    pluginName: "",
    pluginContent: void 0,
    kind: "none",
    simpleValue: 0,
    payload: void 0
  };
  let nodeName = "";
  while (!reader.done) {
    const key = reader.key();
    const field = key >>> 3;
    const wireType = key & 7;
    if (field === SUMMARY_VALUE.simpleValue && wireType === WIRE.fixed32) {
      value.kind = "simple";
      value.simpleValue = reader.float();
    } else if (wireType !== WIRE.bytes) reader.skip(wireType);
    else if (field === SUMMARY_VALUE.tag) value.tag = reader.string();
    else if (field === SUMMARY_VALUE.tensor) {
      value.kind = "tensor";
      value.payload = reader.bytesView();
    } else if (field === SUMMARY_VALUE.histo) {
      value.kind = "histo";
      value.payload = reader.bytesView();
    } else if (field === SUMMARY_VALUE.image) {
      value.kind = "image";
      value.payload = reader.bytesView();
    } else if (field === SUMMARY_VALUE.audio) {
      value.kind = "audio";
      value.payload = reader.bytesView();
    } else if (field === SUMMARY_VALUE.metadata) readMetadata(reader.message(), value);
    else if (field === SUMMARY_VALUE.nodeName) nodeName = reader.string();
    else reader.skip(wireType);
  }
  if (value.tag === "") value.tag = nodeName;
  return value;
}
function decodeEvent(bytes, start, end) {
  const reader = new ProtoReader(bytes, start, end);
  const event = {
    wallTime: 0,
    step: 0,
    fileVersion: void 0,
    sessionStatus: void 0,
    graph: false,
    values: []
  };
  while (!reader.done) {
    const key = reader.key();
    const field = key >>> 3;
    const wireType = key & 7;
    if (field === EVENT.wallTime && wireType === WIRE.fixed64) event.wallTime = reader.double();
    else if (field === EVENT.step && wireType === WIRE.varint) event.step = reader.varint();
    else if (wireType !== WIRE.bytes) reader.skip(wireType);
    else if (field === EVENT.summary) {
      const summary = reader.message();
      while (!summary.done) {
        const summaryKey = summary.key();
        if (summaryKey >>> 3 === SUMMARY.value && (summaryKey & 7) === WIRE.bytes)
          event.values.push(readValue(summary.message()));
        else summary.skip(summaryKey & 7);
      }
    } else if (field === EVENT.fileVersion) event.fileVersion = textDecoder2.decode(reader.bytesView());
    else if (field === EVENT.sessionLog) {
      const log = reader.message();
      event.sessionStatus = 0;
      while (!log.done) {
        const logKey = log.key();
        if (logKey >>> 3 === SESSION_LOG.status && (logKey & 7) === WIRE.varint) event.sessionStatus = log.varint();
        else log.skip(logKey & 7);
      }
    } else {
      if (field === EVENT.graphDef || field === EVENT.metaGraphDef || field === EVENT.taggedRunMetadata)
        event.graph = true;
      reader.skip(wireType);
    }
  }
  return event;
}
function decodeLegacyImage(payload) {
  const reader = new ProtoReader(payload);
  const image = { width: 0, height: 0, colorspace: 0, encoded: new Uint8Array(0) };
  while (!reader.done) {
    const key = reader.key();
    const field = key >>> 3;
    if ((key & 7) === WIRE.varint && field === SUMMARY_IMAGE.height) image.height = reader.varint();
    else if ((key & 7) === WIRE.varint && field === SUMMARY_IMAGE.width) image.width = reader.varint();
    else if ((key & 7) === WIRE.varint && field === SUMMARY_IMAGE.colorspace) image.colorspace = reader.varint();
    else if ((key & 7) === WIRE.bytes && field === SUMMARY_IMAGE.encodedImageString) image.encoded = reader.bytesView();
    else reader.skip(key & 7);
  }
  return image;
}

// src/import/importedValue.ts
import { Histogram, Image, Text } from "@runlog/media";

// src/import/histogramBuckets.ts
import { MAX_HISTOGRAM_BINS } from "@runlog/core";
function binsFromHistogramProto(histo) {
  const { bucket, bucketLimit } = histo;
  let start = 0;
  while (start < bucket.length && !(bucket[start] > 0)) start++;
  let end = bucket.length - 1;
  while (end >= start && !(bucket[end] > 0)) end--;
  if (start > end) return void 0;
  const edges = [histo.min, ...bucketLimit.slice(start, end), histo.max];
  return normalizeBins(edges, bucket.slice(start, end + 1));
}
function binsFromBucketRows(values, rows) {
  if (rows === 0) return void 0;
  const edges = [values[0]];
  const counts = [];
  for (let i = 0; i < rows; i++) {
    edges.push(values[i * 3 + 1]);
    counts.push(values[i * 3 + 2]);
  }
  if (!counts.some((c) => c > 0)) return void 0;
  return normalizeBins(edges, counts);
}
function normalizeBins(edges, counts) {
  const outEdges = [];
  const outCounts = [];
  let carry = 0;
  let point = Number.NaN;
  for (let i = 0; i < counts.length; i++) {
    const left = edges[i];
    const right = edges[i + 1];
    const count = Number.isFinite(counts[i]) && counts[i] > 0 ? counts[i] : 0;
    const last = outCounts.length - 1;
    if (!Number.isFinite(left) || !Number.isFinite(right) || !(right > (last >= 0 ? outEdges[last + 1] : left))) {
      if (last >= 0) outCounts[last] += count;
      else {
        carry += count;
        if (Number.isFinite(left)) point = left;
      }
      continue;
    }
    if (last < 0) outEdges.push(left);
    outEdges.push(right);
    outCounts.push(count + (last < 0 ? carry : 0));
  }
  if (outCounts.length === 0) {
    if (carry > 0 && Number.isFinite(point))
      return { edges: [point - 0.5, point + 0.5], counts: [carry], merged: counts.length > 1 };
    return void 0;
  }
  let merged = outCounts.length !== counts.length;
  while (outCounts.length > MAX_HISTOGRAM_BINS) {
    merged = true;
    const pairedEdges = [outEdges[0]];
    const pairedCounts = [];
    for (let i = 0; i < outCounts.length; i += 2) {
      pairedEdges.push(outEdges[Math.min(i + 2, outCounts.length)]);
      pairedCounts.push(outCounts[i] + (i + 1 < outCounts.length ? outCounts[i + 1] : 0));
    }
    outEdges.splice(0, outEdges.length, ...pairedEdges);
    outCounts.splice(0, outCounts.length, ...pairedCounts);
  }
  return { edges: outEdges, counts: outCounts, merged };
}

// src/import/importedValue.ts
var textDecoder3 = new TextDecoder();
function histogram(bins) {
  if (!bins) return { kind: "skip", reason: "empty histogram" };
  return { kind: "histogram", value: Histogram.fromCounts(bins.counts, bins.edges), merged: bins.merged };
}
function tensorOf(value) {
  const payload = value.payload;
  return readTensorProto(new ProtoReader(payload));
}
function images(encoded) {
  const list = encoded.filter((bytes) => bytes.length > 0).map((bytes) => new Image(bytes));
  if (list.length === 0) return { kind: "skip", reason: "empty image" };
  return { kind: "image", value: list.length === 1 ? list[0] : list };
}
function importedValue(value, plugin) {
  switch (value.kind) {
    case "simple":
      return { kind: "scalar", value: value.simpleValue };
    case "histo":
      return histogram(binsFromHistogramProto(readHistogramProto(new ProtoReader(value.payload))));
    case "image":
      return images([decodeLegacyImage(value.payload).encoded]);
    case "audio":
      return { kind: "skip", reason: "audio" };
    case "none":
      if (plugin?.name === PLUGIN.hparams && value.pluginContent)
        return { kind: "hparams", data: decodeHparamsPluginData(value.pluginContent) };
      return { kind: "skip", reason: plugin?.name || "empty value" };
    case "tensor":
      break;
  }
  const name = plugin?.name ?? "";
  switch (name) {
    case PLUGIN.scalars: {
      const tensor = tensorOf(value);
      if (tensor.numbers.length === 0) return { kind: "skip", reason: "scalars (not a number)" };
      return { kind: "scalar", value: tensor.numbers[0] };
    }
    case PLUGIN.histograms: {
      const tensor = tensorOf(value);
      const rows = tensor.shape.length === 2 && tensor.shape[1] === 3 ? tensor.shape[0] : 0;
      return histogram(binsFromBucketRows(expandFill(tensor), rows));
    }
    case PLUGIN.images: {
      const tensor = tensorOf(value);
      return images(tensor.strings.slice(2));
    }
    case PLUGIN.text: {
      const tensor = tensorOf(value);
      if (tensor.dtype !== DTYPE.string || tensor.strings.length === 0) return { kind: "skip", reason: "text" };
      const texts = tensor.strings.map((bytes) => textDecoder3.decode(bytes));
      return { kind: "text", value: new Text(texts.join("\n")) };
    }
    case PLUGIN.hparams:
      return value.pluginContent ? { kind: "hparams", data: decodeHparamsPluginData(value.pluginContent) } : { kind: "skip", reason: "hparams" };
    default:
      return { kind: "skip", reason: name || "tensor without a plugin" };
  }
}

// src/import/importStats.ts
function emptyStats() {
  return {
    records: 0,
    values: 0,
    badCrcRecords: 0,
    skippedBytes: 0,
    truncatedFiles: 0,
    malformed: 0,
    skipped: {},
    mergedHistograms: 0,
    purged: 0
  };
}
function addStats(into, more) {
  into.records += more.records;
  into.values += more.values;
  into.badCrcRecords += more.badCrcRecords;
  into.skippedBytes += more.skippedBytes;
  into.truncatedFiles += more.truncatedFiles;
  into.malformed += more.malformed;
  into.mergedHistograms += more.mergedHistograms;
  into.purged += more.purged;
  for (const [kind, count] of Object.entries(more.skipped)) into.skipped[kind] = (into.skipped[kind] ?? 0) + count;
}

// src/import/eventSource.ts
var REFUSED_KEYS = /* @__PURE__ */ new Set(["_step", "_runtime", "_timestamp", "_type", "__proto__", "constructor", "prototype"]);
function countSkip2(stats, reason) {
  stats.skipped[reason] = (stats.skipped[reason] ?? 0) + 1;
}
var EventSource = class {
  constructor(folder, prefix) {
    this.folder = folder;
    this.prefix = prefix;
  }
  stats = emptyStats();
  offsets = /* @__PURE__ */ new Map();
  plugins = /* @__PURE__ */ new Map();
  keys = /* @__PURE__ */ new Map();
  ownKeys = /* @__PURE__ */ new Set();
  fileVersion = 0;
  seenStart = false;
  mostRecentStep = Number.NEGATIVE_INFINITY;
  /** The folder's event files, in name order (TensorBoard's order). */
  async files() {
    const entries = await readdir2(this.folder, { withFileTypes: true }).catch(() => []);
    return entries.filter((entry) => entry.isFile() && isEventFileName(entry.name)).map((entry) => entry.name).sort();
  }
  /** Total size of the folder's event files now, and how much of it is still unread. */
  async sizes() {
    let total = 0;
    let unread = 0;
    for (const name of await this.files()) {
      const size = (await stat(join4(this.folder, name)).catch(() => void 0))?.size ?? 0;
      total += size;
      unread += Math.max(0, size - (this.offsets.get(name) ?? 0));
    }
    return { total, unread };
  }
  /**
   * Reads what was appended to the folder's event files since the last call. `final`: a file ending inside a
   * record is counted as truncated (an import); otherwise the partial record is read again next time (tailing).
   * Returns the bytes consumed.
   */
  async read(sink, options) {
    let consumed = 0;
    for (const name of await this.files()) {
      const offset = this.offsets.get(name) ?? 0;
      const bytes = await readFrom(join4(this.folder, name), offset);
      if (bytes.length === 0) continue;
      const scan = scanRecords(bytes, 0, bytes.length, (start, end) => {
        this.stats.records++;
        let event;
        try {
          event = decodeEvent(bytes, start, end);
        } catch {
          this.stats.malformed++;
          return;
        }
        this.process(event, sink);
      });
      this.stats.badCrcRecords += scan.badDataCrc;
      this.stats.skippedBytes += scan.skippedBytes;
      if (scan.truncated && options.final) this.stats.truncatedFiles++;
      this.offsets.set(name, offset + scan.end);
      consumed += scan.end;
      options.onBytes?.(scan.end);
    }
    return consumed;
  }
  keyOf(tag) {
    let key = this.keys.get(tag);
    if (key === void 0) {
      if (tag === "" || REFUSED_KEYS.has(tag)) return void 0;
      key = this.prefix + tag;
      this.keys.set(tag, key);
      this.ownKeys.add(key);
    }
    return key;
  }
  process(event, sink) {
    const stats = this.stats;
    if (event.fileVersion !== void 0) {
      const version = Number(/^brain\.Event:(\d+)$/.exec(event.fileVersion)?.[1] ?? 0);
      if (version > 0) this.fileVersion = version;
    }
    const step = event.step;
    if (this.fileVersion >= 2) {
      if (event.sessionStatus === SESSION_STATUS.start) {
        if (this.seenStart) stats.purged += sink.purge(step, (key) => this.ownKeys.has(key));
        this.seenStart = true;
      }
    } else if (event.values.length > 0 && step < this.mostRecentStep) {
      const tags = new Set(event.values.map((v) => this.keyOf(v.tag)));
      stats.purged += sink.purge(step, (key) => tags.has(key));
    }
    if (event.values.length > 0) this.mostRecentStep = step;
    if (event.graph) countSkip2(stats, "graph");
    for (const value of event.values) {
      let plugin = this.plugins.get(value.tag);
      if (plugin === void 0 && value.pluginName !== "") {
        plugin = { name: value.pluginName, content: value.pluginContent };
        this.plugins.set(value.tag, plugin);
      }
      let imported;
      try {
        imported = importedValue(value, plugin);
      } catch {
        stats.malformed++;
        continue;
      }
      if (imported.kind === "skip") {
        countSkip2(stats, imported.reason);
        continue;
      }
      if (imported.kind === "hparams") {
        sink.hparams(imported.data);
        continue;
      }
      const key = this.keyOf(value.tag);
      if (key === void 0) {
        countSkip2(stats, "reserved tag");
        continue;
      }
      if (!Number.isSafeInteger(step) || step < 0) {
        countSkip2(stats, "negative step");
        continue;
      }
      if (imported.kind === "histogram" && imported.merged) stats.mergedHistograms++;
      sink.value(step, key, imported.value);
      stats.values++;
    }
  }
};
async function readFrom(path, offset) {
  const handle = await open2(path, "r").catch(() => void 0);
  if (!handle) return new Uint8Array(0);
  try {
    const { size } = await handle.stat();
    if (size <= offset) return new Uint8Array(0);
    const bytes = new Uint8Array(size - offset);
    let read = 0;
    while (read < bytes.length) {
      const { bytesRead } = await handle.read(bytes, read, bytes.length - read, offset + read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return bytes.subarray(0, read);
  } finally {
    await handle.close();
  }
}

// src/import/importRun.ts
import { createHash } from "crypto";
import { mkdir as mkdir2, stat as stat2 } from "fs/promises";
import { join as join5, relative } from "path";
import { Api, init, NotFoundError } from "@runlog/core";
import { atomicWriteJson } from "@runlog/core/internal";

// src/import/stepRows.ts
var StepRows = class {
  rows = /* @__PURE__ */ new Map();
  set(step, key, value) {
    let row = this.rows.get(step);
    if (row === void 0) {
      row = {};
      this.rows.set(step, row);
    }
    row[key] = value;
  }
  /**
   * Drops values at `step` and later whose key passes `matches` (a restart: TensorBoard purges what the crashed
   * writer logged past the step the new one starts from). Returns how many values were dropped.
   */
  purge(step, matches) {
    let dropped = 0;
    for (const [rowStep, row] of this.rows) {
      if (rowStep < step) continue;
      for (const key of Object.keys(row)) {
        if (!matches(key)) continue;
        delete row[key];
        dropped++;
      }
      if (Object.keys(row).length === 0) this.rows.delete(rowStep);
    }
    return dropped;
  }
  /** Takes the rows at steps below `before` (all rows by default), in step order. */
  take(before = Number.POSITIVE_INFINITY) {
    const steps = [];
    for (const step of this.rows.keys()) if (step < before) steps.push(step);
    steps.sort((a, b) => a - b);
    const out = [];
    for (const step of steps) {
      out.push([step, this.rows.get(step)]);
      this.rows.delete(step);
    }
    return out;
  }
  get size() {
    return this.rows.size;
  }
  /** The smallest step held, or undefined. */
  firstStep() {
    let first;
    for (const step of this.rows.keys()) if (first === void 0 || step < first) first = step;
    return first;
  }
};

// src/import/importRun.ts
var SOURCE_FILE = "files/tensorboard-source.json";
async function sourceRecord(folder) {
  const files = [];
  for (const source of folder.sources) {
    for (const name of await new EventSource(source.folder, source.prefix).files()) {
      const path = join5(source.folder, name);
      files.push({ path: relative(folder.root, path).split("\\").join("/"), size: (await stat2(path)).size });
    }
  }
  files.sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  return { run: folder.name, files };
}
function sameRecord(storedText, record) {
  try {
    return JSON.stringify(JSON.parse(storedText)) === JSON.stringify(record);
  } catch {
    return false;
  }
}
function runId(folder, record) {
  const names = record.files.map((file) => file.path.split("/").at(-1)).sort();
  return `tb-${createHash("sha256").update(`${folder.name}\0${names[0] ?? ""}`).digest("hex").slice(0, 16)}`;
}
async function importRun(folder, options) {
  const record = await sourceRecord(folder);
  const id = runId(folder, record);
  const path = `${options.project}/${id}`;
  const api = new Api({ dir: options.dir });
  const existing = await api.run(path).catch((error) => {
    if (error instanceof NotFoundError) return void 0;
    throw error;
  });
  let status = "imported";
  if (existing) {
    const stored = await existing.access.readFile({ project: existing.project, id: existing.id }, SOURCE_FILE).then((file) => new TextDecoder().decode(file.bytes)).catch(() => "null");
    if (sameRecord(stored, record)) {
      options.onBytes?.(record.files.reduce((sum, file) => sum + file.size, 0));
      return { name: folder.name, path, status: "unchanged", rows: 0, stats: emptyStats() };
    }
    await existing.delete({ force: true });
    status = "replaced";
  }
  const rows = new StepRows();
  const config = {};
  let failed = false;
  const stats = emptyStats();
  for (const source of folder.sources) {
    const reader = new EventSource(source.folder, source.prefix);
    await reader.read(
      {
        value: (step, key, value) => rows.set(step, key, value),
        purge: (step, matches) => rows.purge(step, matches),
        hparams: (data) => {
          Object.assign(config, data.sessionStartInfo?.hparams);
          if (data.sessionEndInfo?.status === HPARAMS_STATUS.failure) failed = true;
        }
      },
      { final: true, onBytes: options.onBytes }
    );
    addStats(stats, reader.stats);
  }
  const run = await init({
    project: options.project,
    id,
    name: folder.name,
    dir: options.dir,
    config,
    tags: ["tensorboard"],
    notes: `Imported from the TensorBoard run ${folder.name} (${folder.root}).`,
    resume: "never",
    settings: { console: false, systemMetrics: false, quiet: true, metadata: false, processHooks: false }
  });
  let written = 0;
  for (const [step, row] of rows.take()) {
    try {
      run.log(row, { step, commit: true });
      written++;
    } catch {
      stats.skipped["row refused"] = (stats.skipped["row refused"] ?? 0) + 1;
    }
  }
  await mkdir2(join5(run.dir, "files"), { recursive: true });
  await atomicWriteJson(join5(run.dir, SOURCE_FILE), record);
  await run.finish(failed ? 1 : 0);
  return { name: folder.name, path, status, rows: written, stats };
}

// src/import/runFolders.ts
import { readdir as readdir3 } from "fs/promises";
import { basename as basename2, dirname as dirname2, join as join6, relative as relative2, resolve as resolve2 } from "path";
var SPLIT_FOLDERS = /* @__PURE__ */ new Set(["train", "validation", "val", "eval", "evaluation", "test"]);
var MAX_DEPTH = 32;
async function eventFolders(dir, depth = 0, into = []) {
  const entries = await readdir3(dir, { withFileTypes: true }).catch(() => []);
  if (entries.some((entry) => entry.isFile() && isEventFileName(entry.name))) into.push(dir);
  if (depth < MAX_DEPTH) {
    const folders = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    for (const name of folders.sort()) await eventFolders(join6(dir, name), depth + 1, into);
  }
  return into;
}
async function findRunFolders(logdir) {
  const root = resolve2(logdir);
  const runs = /* @__PURE__ */ new Map();
  for (const folder of await eventFolders(root)) {
    const split = folder !== root && SPLIT_FOLDERS.has(basename2(folder));
    const runRoot = split ? dirname2(folder) : folder;
    let run = runs.get(runRoot);
    if (run === void 0) {
      const name = relative2(root, runRoot).split("\\").join("/") || basename2(root);
      run = { name, root: runRoot, sources: [] };
      runs.set(runRoot, run);
    }
    run.sources.push({ folder, prefix: split ? `${basename2(folder)}/` : "" });
  }
  return [...runs.values()].sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

// src/import/importLogdir.ts
async function importTensorboard(logdir, options) {
  const info = await stat3(logdir).catch(() => void 0);
  if (!info?.isDirectory()) throw new NotFoundError2("RUN_NOT_FOUND", `no TensorBoard logdir at ${logdir}`);
  const folders = await findRunFolders(logdir);
  let total = 0;
  for (const folder of folders) {
    for (const source of folder.sources) {
      total += (await new EventSource(source.folder, source.prefix).sizes()).total;
    }
  }
  let done = 0;
  const results = [];
  for (const folder of folders) {
    results.push(
      await importRun(folder, {
        project: options.project,
        dir: options.dir,
        onBytes: (bytes) => {
          done += bytes;
          options.onProgress?.(total > 0 ? Math.min(1, done / total) : 1, folder.name);
        }
      })
    );
  }
  options.onProgress?.(1, "");
  return results;
}

// src/sink/tensorboardSink.ts
import { join as join7 } from "path";

// src/sink/capturedMedia.ts
var CapturedMedia = class {
  constructor(runDir, key, step) {
    this.runDir = runDir;
    this.key = key;
    this.step = step;
  }
  files = /* @__PURE__ */ new Map();
  counter = 0;
  async encode(value) {
    const context = this.context();
    if (!Array.isArray(value)) return value.toMediaRef(context);
    const items = await Promise.all(value.map((item) => item.toMediaRef(context)));
    return { _type: `${value[0].mediaKind}-list`, items };
  }
  load = async (path) => {
    const bytes = this.files.get(path);
    if (bytes === void 0) throw new Error(`no captured media file ${path}`);
    return bytes;
  };
  context() {
    const context = {
      runDir: this.runDir,
      key: this.key,
      step: this.step,
      writeMediaFile: async (kind, ext, bytes) => {
        const path = `captured/${kind}/${this.counter++}.${ext}`;
        this.files.set(path, bytes);
        return { path, sha256: "", size: bytes.length };
      },
      writeNested: (value) => value.toMediaRef(context)
    };
    return context;
  }
};

// src/sink/liveValue.ts
import { computeHistogram, isMediaValue } from "@runlog/core";
import { isTensorLike } from "@runlog/media";
var HISTOGRAM_ARRAY_THRESHOLD = 32;
var TENSORBOARD_MEDIA = /* @__PURE__ */ new Set(["image", "histogram", "text"]);
function isNumericArray(value) {
  for (const item of value) if (typeof item !== "number") return false;
  return true;
}
function visitLiveValue(target, tag, value, media) {
  if (typeof value === "number") {
    target.scalar(tag, value);
    return;
  }
  if (typeof value === "bigint") {
    target.scalar(tag, Number(value));
    return;
  }
  if (typeof value !== "object" || value === null || value instanceof Date) {
    if (value !== void 0) visitStoredValue(target, tag, value);
    return;
  }
  if (isMediaValue(value) || Array.isArray(value) && value.length > 0 && value.every(isMediaValue)) {
    const kind = Array.isArray(value) ? value[0].mediaKind : value.mediaKind;
    if (TENSORBOARD_MEDIA.has(kind)) media.push({ key: tag, value });
    else target.skip(kind);
    return;
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    if (value instanceof BigInt64Array || value instanceof BigUint64Array) target.skip("bigint array");
    else histogramOf(target, tag, value);
    return;
  }
  if (Array.isArray(value)) {
    if (value.length > HISTOGRAM_ARRAY_THRESHOLD && isNumericArray(value)) histogramOf(target, tag, value);
    else target.skip("array");
    return;
  }
  if (isTensorLike(value) && typeof value.dataSync === "function") {
    if (value.dtype === "string") {
      target.skip("string tensor");
      return;
    }
    const data = value.dataSync();
    if (value.shape.length === 0) target.scalar(tag, Number(data[0]));
    else histogramOf(target, tag, data);
    return;
  }
  for (const key of Object.keys(value))
    visitLiveValue(target, `${tag}.${key}`, value[key], media);
}
function histogramOf(target, tag, values) {
  const histogram2 = computeHistogram(values);
  if (histogram2.values.length === 0) target.skip("histogram (no finite value)");
  else target.histogram(tag, histogram2.bins, histogram2.values);
}

// src/sink/tensorboardSink.ts
var TensorboardSink = class {
  constructor(run, logdir, options = {}) {
    this.run = run;
    this.path = join7(logdir, options.folder ?? runFolderName(run.name), eventFileName());
    this.writer = new EventFileWriter(this.path);
    this.target = new EncoderTarget(this.writer.encoder, options.scalars);
    this.skipped = this.target.skipped;
    this.flushBytes = options.flushBytes ?? 256 * 1024;
    this.done = new Promise((resolve4) => {
      this.resolveDone = resolve4;
    });
    run.on("log", this.onLog);
    run.once("finish", this.onFinish);
    process.on("exit", this.onExit);
    this.timer = setInterval(() => void this.flush(), options.flushIntervalMs ?? 500);
    this.timer.unref();
  }
  /** The event file. */
  path;
  /** Values TensorBoard has no place for (video, tables...), by kind. */
  skipped;
  /** Resolves when the sink is closed (after the run finished) and everything is in the file. */
  done;
  resolveDone;
  writer;
  target;
  timer;
  pendingMedia = /* @__PURE__ */ new Set();
  flushBytes;
  startWritten = false;
  closing;
  onLog = (data, step) => this.write(data, step);
  onFinish = (state) => void this.end(state);
  onExit = () => this.flushOnExit();
  write(data, step) {
    try {
      const encoder = this.writer.encoder;
      const time = Date.now() / 1e3;
      if (!this.startWritten) this.writeSessionStart(time);
      encoder.beginEvent(time, step);
      let media;
      for (const key in data) {
        const value = data[key];
        if (typeof value === "number") this.target.scalar(key, value);
        else {
          media ??= [];
          visitLiveValue(this.target, key, value, media);
        }
      }
      encoder.endEvent();
      if (media !== void 0) for (const item of media) this.track(this.writeMedia(item, step));
      this.writer.flushIfLarge(this.flushBytes);
    } catch (error) {
      this.run.reportError(error, "mirroring to TensorBoard");
    }
  }
  writeSessionStart(time) {
    this.startWritten = true;
    this.writer.encoder.sessionStart(time, {
      hparams: hparamsFromConfig(this.run.config.toJSON()),
      groupName: this.run.id,
      startTimeSecs: this.run.startTime.getTime() / 1e3
    });
  }
  /** Encodes a media value again (in memory) and writes what TensorBoard shows of it as an event of its own. */
  async writeMedia(item, step) {
    const captured = new CapturedMedia(this.run.dir, item.key, step);
    const ref = await captured.encode(item.value);
    const time = Date.now() / 1e3;
    const encoder = this.writer.encoder;
    if (ref._type === "image-file" || ref._type === "image-list") {
      const refs = ref._type === "image-file" ? [ref] : ref.items;
      const summaries = await imageSummaries(item.key, refs, captured.load);
      encoder.beginEvent(time, step);
      for (const s of summaries) encoder.images(s.tag, s.width, s.height, s.encoded);
    } else {
      encoder.beginEvent(time, step);
      visitStoredValue(this.target, item.key, ref);
    }
    encoder.endEvent();
  }
  track(work) {
    const tracked = work.catch((error) => this.run.reportError(error, "mirroring media to TensorBoard"));
    this.pendingMedia.add(tracked);
    void tracked.finally(() => this.pendingMedia.delete(tracked));
  }
  /** Appends the events encoded so far to the file. */
  async flush() {
    try {
      await this.writer.flush();
    } catch (error) {
      this.run.reportError(error, "writing TensorBoard events");
    }
  }
  flushOnExit() {
    try {
      this.writer.flushSync();
    } catch {
    }
  }
  /** The run finished: summary values, the session's end, then the file is closed once media is written. */
  end(state) {
    if (this.closing) return this.closing;
    this.detach();
    const encoder = this.writer.encoder;
    const time = Date.now() / 1e3;
    try {
      if (!this.startWritten) this.writeSessionStart(time);
      const extra = summaryScalars(this.run.summary.toJSON(), (tag) => encoder.lastScalar(tag));
      if (extra.length > 0) {
        encoder.beginEvent(time, Math.max(0, this.run.step - 1));
        for (const [tag, value] of extra) this.target.scalar(tag, value);
        encoder.endEvent();
      }
      const status = state === "finished" ? HPARAMS_STATUS.success : HPARAMS_STATUS.failure;
      encoder.sessionEnd(time, { status, endTimeSecs: time });
      if (this.pendingMedia.size === 0) this.writer.closeSync();
    } catch (error) {
      this.run.reportError(error, "writing TensorBoard events");
    }
    return this.closeAfterMedia();
  }
  /** Stops mirroring and closes the file now (the run goes on without it). */
  close() {
    if (this.closing) return this.closing;
    this.detach();
    return this.closeAfterMedia();
  }
  /** Closes the file once the media still encoding is written. */
  closeAfterMedia() {
    this.closing = Promise.all(this.pendingMedia).then(() => this.writer.close()).catch((error) => this.run.reportError(error, "writing TensorBoard events")).finally(() => this.resolveDone());
    return this.closing;
  }
  detach() {
    this.run.off("log", this.onLog);
    this.run.off("finish", this.onFinish);
    process.off("exit", this.onExit);
    clearInterval(this.timer);
  }
};
function tensorboardSink(run, logdir, options) {
  return new TensorboardSink(run, logdir, options);
}

// src/tail/tensorboardTail.ts
import { relative as relative3, resolve as resolve3 } from "path";
var TensorboardTail = class {
  constructor(run, logdir, options = {}) {
    this.run = run;
    this.logdir = resolve3(logdir);
    this.holdMs = options.holdMs ?? 3e3;
    this.timer = setInterval(() => void this.poll(), options.pollIntervalMs ?? 1e3);
    this.timer.unref();
    this.originalFinish = run.finish;
    this.wrappedFinish = (exitCode) => this.stop().then(() => this.originalFinish.call(run, exitCode));
    run.finish = this.wrappedFinish;
    run.once("finish", () => void this.stop());
  }
  rowsLogged = 0;
  lateValues = 0;
  logdir;
  sources = /* @__PURE__ */ new Map();
  /** The largest step each source has given a value for. */
  lastSteps = /* @__PURE__ */ new Map();
  rows = new StepRows();
  firstSeen = /* @__PURE__ */ new Map();
  holdMs;
  timer;
  polling = Promise.resolve();
  stopping;
  originalFinish;
  wrappedFinish;
  /** What the tail has read and logged so far. */
  get stats() {
    const stats = emptyStats();
    for (const source of this.sources.values()) addStats(stats, source.stats);
    return { ...stats, rows: this.rowsLogged, late: this.lateValues };
  }
  /** Reads what the logdir's event files gained and logs the rows that are ready. */
  poll() {
    this.polling = this.polling.then(() => this.readOnce(false)).catch((error) => {
      this.run.reportError(error, "syncing TensorBoard events");
    });
    return this.polling;
  }
  async readOnce(final) {
    for (const folder of await eventFolders(this.logdir)) {
      if (this.sources.has(folder)) continue;
      const path = relative3(this.logdir, folder).split("\\").join("/");
      this.sources.set(folder, new EventSource(folder, path === "" ? "" : `${path}/`));
    }
    const now = Date.now();
    for (const source of this.sources.values()) {
      await source.read(
        {
          value: (step, key, value) => {
            this.rows.set(step, key, value);
            if (!this.firstSeen.has(step)) this.firstSeen.set(step, now);
            this.lastSteps.set(source, Math.max(this.lastSteps.get(source) ?? -1, step));
          },
          purge: (step, matches) => this.rows.purge(step, matches),
          hparams: (data) => {
            if (data.sessionStartInfo && !this.run.finished)
              this.run.config.update(data.sessionStartInfo.hparams, { allowValChange: true });
          }
        },
        { final }
      );
    }
    this.release(final ? Number.POSITIVE_INFINITY : this.readyBefore(now));
  }
  /** Rows at steps below this are ready: every source moved past them, or they waited `holdMs`. */
  readyBefore(now) {
    let ready = Number.POSITIVE_INFINITY;
    for (const step of this.lastSteps.values()) ready = Math.min(ready, step);
    if (this.lastSteps.size === 0) ready = 0;
    for (const [step, seen] of this.firstSeen) if (now - seen >= this.holdMs) ready = Math.max(ready, step + 1);
    return ready;
  }
  release(before) {
    for (const [step, row] of this.rows.take(before)) {
      this.firstSeen.delete(step);
      if (this.run.finished) return;
      if (step < this.run.step) {
        this.lateValues += Object.keys(row).length;
        continue;
      }
      try {
        this.run.log(row, { step });
        this.rowsLogged++;
      } catch (error) {
        this.run.reportError(error, "syncing TensorBoard events");
      }
    }
  }
  /** Stops tailing after a last read that logs every row left (finish() calls it). */
  stop() {
    if (this.stopping) return this.stopping;
    clearInterval(this.timer);
    if (this.run.finish === this.wrappedFinish) this.run.finish = this.originalFinish;
    this.stopping = this.polling.then(() => this.run.finished ? void 0 : this.readOnce(true)).catch((error) => this.run.reportError(error, "syncing TensorBoard events"));
    return this.stopping;
  }
};
function syncTensorboard(run, logdir, options) {
  return new TensorboardTail(run, logdir, options);
}
export {
  EventEncoder,
  EventFileWriter,
  SPLIT_FOLDERS,
  TensorboardSink,
  TensorboardTail,
  crc32c,
  decodeEvent,
  eventFileName,
  exportRun,
  exportRuns,
  findRunFolders,
  importRun,
  importTensorboard,
  maskedCrc32c,
  scanRecords,
  syncTensorboard,
  tensorboardSink
};
//# sourceMappingURL=index.js.map