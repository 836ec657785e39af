/**
 * Field numbers of the TensorBoard protos this package reads and writes (tensorboard/compat/proto/event.proto,
 * summary.proto, tensor.proto, tensor_shape.proto, plugins/hparams/plugin_data.proto, google/protobuf/struct.proto).
 */
export const EVENT = {
  wallTime: 1,
  step: 2,
  fileVersion: 3,
  graphDef: 4,
  summary: 5,
  logMessage: 6,
  sessionLog: 7,
  taggedRunMetadata: 8,
  metaGraphDef: 9,
  sourceMetadata: 10,
} as const;

export const SESSION_LOG = { status: 1, checkpointPath: 2, msg: 3 } as const;
/** SessionLog.SessionStatus */
export const SESSION_STATUS = { unknown: 0, start: 1, stop: 2, checkpoint: 3 } as const;

export const SUMMARY = { value: 1 } as const;

export const SUMMARY_VALUE = {
  tag: 1,
  simpleValue: 2,
  obsoleteOldStyleHistogram: 3,
  image: 4,
  histo: 5,
  audio: 6,
  nodeName: 7,
  tensor: 8,
  metadata: 9,
} as const;

export const SUMMARY_IMAGE = { height: 1, width: 2, colorspace: 3, encodedImageString: 4 } as const;

export const SUMMARY_METADATA = { pluginData: 1, displayName: 2, summaryDescription: 3, dataClass: 4 } as const;
export const PLUGIN_DATA = { pluginName: 1, content: 2 } as const;
/** tensorboard.DataClass */
export const DATA_CLASS = { unknown: 0, scalar: 1, tensor: 2, blobSequence: 3 } as const;

export const HISTOGRAM = { min: 1, max: 2, num: 3, sum: 4, sumSquares: 5, bucketLimit: 6, bucket: 7 } as const;

export const TENSOR = {
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
  uint64Val: 17,
} as const;
export const TENSOR_SHAPE = { dim: 2, unknownRank: 3 } as const;
export const TENSOR_DIM = { size: 1, name: 2 } as const;

/** tensorboard.DataType values this package decodes. */
export const DTYPE = {
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
  uint64: 23,
} as const;

export const HPARAMS_PLUGIN_DATA = { version: 1, experiment: 2, sessionStartInfo: 3, sessionEndInfo: 4 } as const;
export const SESSION_START_INFO = { hparams: 1, modelUri: 2, monitorUrl: 3, groupName: 4, startTimeSecs: 5 } as const;
export const SESSION_END_INFO = { status: 1, endTimeSecs: 2 } as const;
/** tensorboard.hparams.Status */
export const HPARAMS_STATUS = { unknown: 0, success: 1, failure: 2, running: 3 } as const;
export const MAP_ENTRY = { key: 1, value: 2 } as const;
/** google.protobuf.Value */
export const STRUCT_VALUE = {
  nullValue: 1,
  numberValue: 2,
  stringValue: 3,
  boolValue: 4,
  structValue: 5,
  listValue: 6,
} as const;

/** Plugin names as TensorBoard's plugins register them. */
export const PLUGIN = {
  scalars: 'scalars',
  histograms: 'histograms',
  images: 'images',
  text: 'text',
  hparams: 'hparams',
} as const;

export const HPARAMS_TAGS = {
  experiment: '_hparams_/experiment',
  sessionStartInfo: '_hparams_/session_start_info',
  sessionEndInfo: '_hparams_/session_end_info',
} as const;

/** The file_version string every event file starts with. */
export const FILE_VERSION = 'brain.Event:2';
