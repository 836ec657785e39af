import {
  EVENT,
  PLUGIN_DATA,
  SESSION_LOG,
  SUMMARY,
  SUMMARY_IMAGE,
  SUMMARY_METADATA,
  SUMMARY_VALUE,
} from './fieldNumbers.js';
import { ProtoReader } from './protoReader.js';
import { WIRE } from './protoWriter.js';

/** Which field of a Summary.Value holds its data. */
export type ValueKind = 'simple' | 'tensor' | 'histo' | 'image' | 'audio' | 'none';

/** One Summary.Value, its payload left encoded (a view into the record) until someone needs it. */
export interface SummaryValueView {
  tag: string;
  /** From this value's metadata; '' when the value has none (later values of a tag usually have none). */
  pluginName: string;
  pluginContent: Uint8Array | undefined;
  kind: ValueKind;
  /** The number of a `simple_value`. */
  simpleValue: number;
  /** The encoded TensorProto, HistogramProto or Summary.Image. */
  payload: Uint8Array | undefined;
}

export interface DecodedEvent {
  wallTime: number;
  step: number;
  fileVersion: string | undefined;
  /** SessionLog.status when the event is a session log. */
  sessionStatus: number | undefined;
  /** The event carries a graph, a meta graph or run metadata (not imported). */
  graph: boolean;
  values: SummaryValueView[];
}

const textDecoder = new TextDecoder();

function readMetadata(reader: ProtoReader, value: SummaryValueView): void {
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

function readValue(reader: ProtoReader): SummaryValueView {
  const value: SummaryValueView = {
    tag: '',
    pluginName: '',
    pluginContent: undefined,
    kind: 'none',
    simpleValue: 0,
    payload: undefined,
  };
  let nodeName = '';
  while (!reader.done) {
    const key = reader.key();
    const field = key >>> 3;
    const wireType = key & 7;
    if (field === SUMMARY_VALUE.simpleValue && wireType === WIRE.fixed32) {
      value.kind = 'simple';
      value.simpleValue = reader.float();
    } else if (wireType !== WIRE.bytes) reader.skip(wireType);
    else if (field === SUMMARY_VALUE.tag) value.tag = reader.string();
    else if (field === SUMMARY_VALUE.tensor) {
      value.kind = 'tensor';
      value.payload = reader.bytesView();
    } else if (field === SUMMARY_VALUE.histo) {
      value.kind = 'histo';
      value.payload = reader.bytesView();
    } else if (field === SUMMARY_VALUE.image) {
      value.kind = 'image';
      value.payload = reader.bytesView();
    } else if (field === SUMMARY_VALUE.audio) {
      value.kind = 'audio';
      value.payload = reader.bytesView();
    } else if (field === SUMMARY_VALUE.metadata) readMetadata(reader.message(), value);
    else if (field === SUMMARY_VALUE.nodeName) nodeName = reader.string();
    else reader.skip(wireType);
  }
  if (value.tag === '') value.tag = nodeName; // summaries of the old plugin-asset era name the node instead
  return value;
}

/** Decodes one Event record (`bytes[start, end)`); throws ProtoDecodeError for malformed bytes. */
export function decodeEvent(bytes: Uint8Array, start: number, end: number): DecodedEvent {
  const reader = new ProtoReader(bytes, start, end);
  const event: DecodedEvent = {
    wallTime: 0,
    step: 0,
    fileVersion: undefined,
    sessionStatus: undefined,
    graph: false,
    values: [],
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
    } else if (field === EVENT.fileVersion) event.fileVersion = textDecoder.decode(reader.bytesView());
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

/** A legacy Summary.Image: its size and encoded bytes. */
export interface LegacyImage {
  width: number;
  height: number;
  colorspace: number;
  encoded: Uint8Array;
}

export function decodeLegacyImage(payload: Uint8Array): LegacyImage {
  const reader = new ProtoReader(payload);
  const image: LegacyImage = { width: 0, height: 0, colorspace: 0, encoded: new Uint8Array(0) };
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
