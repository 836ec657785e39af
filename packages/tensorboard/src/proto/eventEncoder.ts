import { beginRecord, endRecord, RECORD_HEADER_BYTES } from '../format/recordFraming.js';
import {
  DATA_CLASS,
  EVENT,
  FILE_VERSION,
  HPARAMS_TAGS,
  PLUGIN,
  PLUGIN_DATA,
  SESSION_LOG,
  SUMMARY,
  SUMMARY_METADATA,
  SUMMARY_VALUE,
} from './fieldNumbers.js';
import { writeHistogramProto } from './histogramProto.js';
import { encodeSessionEndInfo, encodeSessionStartInfo, type SessionEndInfo, type SessionStartInfo } from './hparamsProto.js';
import { ProtoWriter } from './protoWriter.js';
import { writeDoubleScalarTensor, writeEmptyFloatTensor, writeStringTensor } from './tensorProto.js';

const textEncoder = new TextEncoder();
const MAX_CACHED_TAGS = 10_000;

function metadataBytes(pluginName: string, dataClass: number, content?: Uint8Array): Uint8Array {
  const out = new ProtoWriter(64);
  const plugin = out.beginField(SUMMARY_METADATA.pluginData);
  out.stringField(PLUGIN_DATA.pluginName, pluginName);
  if (content) out.bytesField(PLUGIN_DATA.content, content);
  out.end(plugin);
  if (dataClass !== DATA_CLASS.unknown) out.varintField(SUMMARY_METADATA.dataClass, dataClass);
  return out.toBytes();
}

const METADATA = {
  scalars: metadataBytes(PLUGIN.scalars, DATA_CLASS.scalar),
  images: metadataBytes(PLUGIN.images, DATA_CLASS.blobSequence),
  text: metadataBytes(PLUGIN.text, DATA_CLASS.tensor),
};

/**
 * Writes Event protos, each framed as a TFRecord, into one growing buffer (an event file's pending bytes).
 * An event holds one Summary with any number of values: `beginEvent`, the values, `endEvent`. Plugin metadata is
 * written with the first value of each tag in the file only, as TensorFlow's writers do (TensorBoard keeps the
 * first metadata it sees per tag).
 */
export class EventEncoder {
  private readonly tagFields = new Map<string, Uint8Array>();
  private readonly described = new Set<string>();
  private recordStart = -1;
  private summaryStart = -1;

  constructor(readonly out: ProtoWriter = new ProtoWriter()) {}

  /** The first event of every file: `file_version: "brain.Event:2"`. */
  fileVersion(wallTime: number): void {
    const start = beginRecord(this.out);
    this.out.doubleField(EVENT.wallTime, wallTime);
    this.out.stringField(EVENT.fileVersion, FILE_VERSION);
    endRecord(this.out, start);
  }

  /** A SessionLog event (status 1 START marks a restart for TensorBoard's purge of orphaned steps). */
  sessionLog(wallTime: number, step: number, status: number): void {
    const start = beginRecord(this.out);
    this.out.doubleField(EVENT.wallTime, wallTime);
    if (step !== 0) this.out.varintField(EVENT.step, step);
    const log = this.out.beginField(EVENT.sessionLog);
    this.out.varintField(SESSION_LOG.status, status);
    this.out.end(log);
    endRecord(this.out, start);
  }

  beginEvent(wallTime: number, step: number): void {
    const out = this.out;
    this.recordStart = beginRecord(out);
    out.doubleField(EVENT.wallTime, wallTime);
    if (step !== 0) out.varintField(EVENT.step, step);
    this.summaryStart = out.beginField(EVENT.summary);
  }

  /** Ends the event; an event that got no value is taken back (nothing is written). */
  endEvent(): void {
    const out = this.out;
    if (out.pos === this.summaryStart) {
      out.pos = this.recordStart - RECORD_HEADER_BYTES;
      return;
    }
    out.end(this.summaryStart);
    endRecord(out, this.recordStart);
  }

  private beginValue(tag: string, metadata: Uint8Array | undefined): number {
    const out = this.out;
    const value = out.beginField(SUMMARY.value);
    out.raw(this.tagField(tag));
    if (metadata !== undefined && !this.described.has(tag)) {
      this.described.add(tag);
      out.bytesField(SUMMARY_VALUE.metadata, metadata);
    }
    return value;
  }

  private tagField(tag: string): Uint8Array {
    let field = this.tagFields.get(tag);
    if (field === undefined) {
      const text = textEncoder.encode(tag);
      const out = new ProtoWriter(text.length + 8);
      out.bytesField(SUMMARY_VALUE.tag, text);
      field = out.toBytes();
      if (this.tagFields.size < MAX_CACHED_TAGS) this.tagFields.set(tag, field);
    }
    return field;
  }

  /** A scalar in TensorBoard's current form: a float64 scalar tensor with the scalars plugin's metadata. */
  scalar(tag: string, value: number): void {
    const valueStart = this.beginValue(tag, METADATA.scalars);
    const tensor = this.out.beginField(SUMMARY_VALUE.tensor);
    writeDoubleScalarTensor(this.out, value);
    this.out.end(tensor);
    this.out.end(valueStart);
  }

  /** A scalar in the legacy form (`simple_value`, float32), as tf.node.tensorBoard and PyTorch write it. */
  simpleValue(tag: string, value: number): void {
    const valueStart = this.beginValue(tag, undefined);
    this.out.floatField(SUMMARY_VALUE.simpleValue, value);
    this.out.end(valueStart);
  }

  /** A histogram as a HistogramProto (`histo`), bins exactly as given. */
  histogram(
    tag: string,
    edges: ArrayLike<number>,
    counts: ArrayLike<number>,
    moments?: { sum: number; sumSquares: number },
  ): void {
    const valueStart = this.beginValue(tag, undefined);
    const histo = this.out.beginField(SUMMARY_VALUE.histo);
    writeHistogramProto(this.out, edges, counts, moments);
    this.out.end(histo);
    this.out.end(valueStart);
  }

  /** Encoded images (PNG, JPEG...) of one size, in the image plugin's tensor form: [width, height, image...]. */
  images(tag: string, width: number, height: number, encoded: readonly Uint8Array[]): void {
    const valueStart = this.beginValue(tag, METADATA.images);
    const tensor = this.out.beginField(SUMMARY_VALUE.tensor);
    writeStringTensor(this.out, [textEncoder.encode(String(width)), textEncoder.encode(String(height)), ...encoded]);
    this.out.end(tensor);
    this.out.end(valueStart);
  }

  /** Text (markdown) for the text plugin: a scalar string tensor. */
  text(tag: string, text: string): void {
    const valueStart = this.beginValue(tag, METADATA.text);
    const tensor = this.out.beginField(SUMMARY_VALUE.tensor);
    writeStringTensor(this.out, [textEncoder.encode(text)], true);
    this.out.end(tensor);
    this.out.end(valueStart);
  }

  /** The hparams plugin's session_start_info: the run's hyperparameters, for the HParams tab. */
  sessionStart(wallTime: number, info: SessionStartInfo): void {
    this.hparamsEvent(wallTime, HPARAMS_TAGS.sessionStartInfo, encodeSessionStartInfo(info));
  }

  /** The hparams plugin's session_end_info: how the run ended. */
  sessionEnd(wallTime: number, info: SessionEndInfo): void {
    this.hparamsEvent(wallTime, HPARAMS_TAGS.sessionEndInfo, encodeSessionEndInfo(info));
  }

  private hparamsEvent(wallTime: number, tag: string, content: Uint8Array): void {
    this.beginEvent(wallTime, 0);
    const out = this.out;
    const value = out.beginField(SUMMARY.value);
    out.raw(this.tagField(tag));
    out.bytesField(SUMMARY_VALUE.metadata, metadataBytes(PLUGIN.hparams, DATA_CLASS.unknown, content));
    const tensor = out.beginField(SUMMARY_VALUE.tensor);
    writeEmptyFloatTensor(out);
    out.end(tensor);
    out.end(value);
    this.endEvent();
  }
}
