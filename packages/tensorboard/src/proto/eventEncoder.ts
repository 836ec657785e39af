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
import {
  encodeSessionEndInfo,
  encodeSessionStartInfo,
  type SessionEndInfo,
  type SessionStartInfo,
} from './hparamsProto.js';
import { ProtoWriter, WIRE } from './protoWriter.js';
import { writeDoubleScalarTensor, writeEmptyFloatTensor, writeStringTensor } from './tensorProto.js';

const textEncoder = new TextEncoder();

/** What the encoder keeps per tag: the tag field's bytes, whether its metadata was written, its last scalar. */
interface TagState {
  field: Uint8Array;
  described: boolean;
  /** The last scalar (NaN until one is written: a number field is updated in place, never boxed anew). */
  lastScalar: number;
  hasScalar: boolean;
  /** The whole Summary.Value of a scalar of this tag without metadata, its 8 value bytes last (made once). */
  scalarValue: Uint8Array | undefined;
}

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
  private readonly tags = new Map<string, TagState>();
  private recordStart = -1;
  private summaryStart = -1;
  /** Bytes reserved for the Summary's length: the size the last event's needed (events of a loop are alike). */
  private summaryLengthBytes = 1;
  private valueStart = 0;

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
    this.position = 0;
    this.recordStart = beginRecord(out);
    out.doubleField(EVENT.wallTime, wallTime);
    if (step !== 0) out.varintField(EVENT.step, step);
    out.tag(EVENT.summary, WIRE.bytes);
    this.summaryStart = out.begin(this.summaryLengthBytes);
  }

  /** Ends the event; an event that got no value is taken back (nothing is written). */
  endEvent(): void {
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

  private beginValue(tag: string, metadata: Uint8Array | undefined): TagState {
    const out = this.out;
    const state = this.tagState(tag);
    out.tag(SUMMARY.value, WIRE.bytes);
    this.valueStart = out.begin();
    out.raw(state.field);
    if (metadata !== undefined && !state.described) {
      state.described = true;
      out.bytesField(SUMMARY_VALUE.metadata, metadata);
    }
    return state;
  }

  private endValue(): void {
    this.out.end(this.valueStart);
  }

  // The tags of the last event, by position: a loop logging the same keys finds their states without a lookup.
  private readonly recentTags: string[] = [];
  private readonly recentStates: TagState[] = [];
  private position = 0;

  private tagState(tag: string): TagState {
    const position = this.position++;
    if (this.recentTags[position] === tag) return this.recentStates[position];
    let state = this.tags.get(tag);
    if (state === undefined) {
      const text = textEncoder.encode(tag);
      const out = new ProtoWriter(text.length + 8);
      out.bytesField(SUMMARY_VALUE.tag, text);
      state = {
        field: out.toBytes(),
        described: false,
        lastScalar: Number.NaN,
        hasScalar: false,
        scalarValue: undefined,
      };
      this.tags.set(tag, state);
    }
    this.recentTags[position] = tag;
    this.recentStates[position] = state;
    return state;
  }

  /** The last scalar written under `tag` in this file (to tell which summary values add something). */
  lastScalar(tag: string): number | undefined {
    const state = this.tags.get(tag);
    return state?.hasScalar ? state.lastScalar : undefined;
  }

  /** A scalar in TensorBoard's current form: a float64 scalar tensor with the scalars plugin's metadata. */
  scalar(tag: string, value: number): void {
    const state = this.tagState(tag);
    state.lastScalar = value;
    state.hasScalar = true;
    if (state.described) {
      // The hot path (every scalar after a tag's first): copy the value's bytes, then write the number.
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
  scalarValueBytes(tag: string): Uint8Array | undefined {
    const state = this.tags.get(tag);
    if (state === undefined || !state.described) return undefined;
    return state.scalarValue ?? this.scalarTemplate(state);
  }

  /** Records `value` as the last scalar of `tag` (see `lastScalar`), for scalars written without `scalar`. */
  noteScalar(tag: string, value: number): void {
    const state = this.tags.get(tag);
    if (state === undefined) return;
    state.lastScalar = value;
    state.hasScalar = true;
  }

  private scalarTemplate(state: TagState): Uint8Array {
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
  simpleValue(tag: string, value: number): void {
    const state = this.beginValue(tag, undefined);
    state.lastScalar = value;
    state.hasScalar = true;
    this.out.floatField(SUMMARY_VALUE.simpleValue, value);
    this.endValue();
  }

  /** A histogram as a HistogramProto (`histo`), bins exactly as given. */
  histogram(
    tag: string,
    edges: ArrayLike<number>,
    counts: ArrayLike<number>,
    moments?: { sum: number; sumSquares: number },
  ): void {
    this.beginValue(tag, undefined);
    const histo = this.out.beginField(SUMMARY_VALUE.histo);
    writeHistogramProto(this.out, edges, counts, moments);
    this.out.end(histo);
    this.endValue();
  }

  /** Encoded images (PNG, JPEG...) of one size, in the image plugin's tensor form: [width, height, image...]. */
  images(tag: string, width: number, height: number, encoded: readonly Uint8Array[]): void {
    this.beginValue(tag, METADATA.images);
    const tensor = this.out.beginField(SUMMARY_VALUE.tensor);
    writeStringTensor(this.out, [textEncoder.encode(String(width)), textEncoder.encode(String(height)), ...encoded]);
    this.out.end(tensor);
    this.endValue();
  }

  /** Text (markdown) for the text plugin: a scalar string tensor. */
  text(tag: string, text: string): void {
    this.beginValue(tag, METADATA.text);
    const tensor = this.out.beginField(SUMMARY_VALUE.tensor);
    writeStringTensor(this.out, [textEncoder.encode(text)], true);
    this.out.end(tensor);
    this.endValue();
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
    out.raw(this.tagState(tag).field);
    out.bytesField(SUMMARY_VALUE.metadata, metadataBytes(PLUGIN.hparams, DATA_CLASS.unknown, content));
    const tensor = out.beginField(SUMMARY_VALUE.tensor);
    writeEmptyFloatTensor(out);
    out.end(tensor);
    out.end(value);
    this.endEvent();
  }
}
