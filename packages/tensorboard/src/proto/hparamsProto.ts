import { HPARAMS_PLUGIN_DATA, MAP_ENTRY, SESSION_END_INFO, SESSION_START_INFO, STRUCT_VALUE } from './fieldNumbers.js';
import { ProtoReader } from './protoReader.js';
import { ProtoWriter, WIRE } from './protoWriter.js';

/** A hyperparameter value as the hparams plugin stores it (google.protobuf.Value: number, string or bool). */
export type HparamValue = number | string | boolean;

export interface SessionStartInfo {
  hparams: Record<string, HparamValue>;
  groupName: string;
  startTimeSecs: number;
}

export interface SessionEndInfo {
  /** tensorboard.hparams.Status: 1 success, 2 failure, 3 running. */
  status: number;
  endTimeSecs: number;
}

/** What an hparams plugin summary's content holds. */
export interface HparamsPluginData {
  sessionStartInfo?: SessionStartInfo;
  sessionEndInfo?: SessionEndInfo;
  /** An experiment definition (read only as "present"; TensorBoard infers one from the sessions otherwise). */
  experiment?: boolean;
}

/** The serialized HParamsPluginData (version 0) holding a session_start_info. */
export function encodeSessionStartInfo(info: SessionStartInfo): Uint8Array {
  const out = new ProtoWriter(256);
  out.varintField(HPARAMS_PLUGIN_DATA.version, 0);
  const start = out.beginField(HPARAMS_PLUGIN_DATA.sessionStartInfo);
  for (const name of Object.keys(info.hparams).sort()) {
    const entry = out.beginField(SESSION_START_INFO.hparams);
    out.stringField(MAP_ENTRY.key, name);
    const value = out.beginField(MAP_ENTRY.value);
    const hparam = info.hparams[name];
    if (typeof hparam === 'boolean') out.boolField(STRUCT_VALUE.boolValue, hparam);
    else if (typeof hparam === 'number') out.doubleField(STRUCT_VALUE.numberValue, hparam);
    else out.stringField(STRUCT_VALUE.stringValue, hparam);
    out.end(value);
    out.end(entry);
  }
  out.stringField(SESSION_START_INFO.groupName, info.groupName);
  out.doubleField(SESSION_START_INFO.startTimeSecs, info.startTimeSecs);
  out.end(start);
  return out.toBytes();
}

/** The serialized HParamsPluginData (version 0) holding a session_end_info. */
export function encodeSessionEndInfo(info: SessionEndInfo): Uint8Array {
  const out = new ProtoWriter(64);
  out.varintField(HPARAMS_PLUGIN_DATA.version, 0);
  const end = out.beginField(HPARAMS_PLUGIN_DATA.sessionEndInfo);
  out.varintField(SESSION_END_INFO.status, info.status);
  out.doubleField(SESSION_END_INFO.endTimeSecs, info.endTimeSecs);
  out.end(end);
  return out.toBytes();
}

function readStructValue(reader: ProtoReader): HparamValue | undefined {
  let value: HparamValue | undefined;
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

function readStartInfo(reader: ProtoReader): SessionStartInfo {
  const info: SessionStartInfo = { hparams: {}, groupName: '', startTimeSecs: 0 };
  while (!reader.done) {
    const key = reader.key();
    const field = key >>> 3;
    if (field === SESSION_START_INFO.hparams && (key & 7) === WIRE.bytes) {
      const entry = reader.message();
      let name = '';
      let value: HparamValue | undefined;
      while (!entry.done) {
        const entryKey = entry.key();
        if (entryKey >>> 3 === MAP_ENTRY.key && (entryKey & 7) === WIRE.bytes) name = entry.string();
        else if (entryKey >>> 3 === MAP_ENTRY.value && (entryKey & 7) === WIRE.bytes)
          value = readStructValue(entry.message());
        else entry.skip(entryKey & 7);
      }
      if (value !== undefined) info.hparams[name] = value;
    } else if (field === SESSION_START_INFO.groupName && (key & 7) === WIRE.bytes) info.groupName = reader.string();
    else if (field === SESSION_START_INFO.startTimeSecs && (key & 7) === WIRE.fixed64)
      info.startTimeSecs = reader.double();
    else reader.skip(key & 7);
  }
  return info;
}

function readEndInfo(reader: ProtoReader): SessionEndInfo {
  const info: SessionEndInfo = { status: 0, endTimeSecs: 0 };
  while (!reader.done) {
    const key = reader.key();
    const field = key >>> 3;
    if (field === SESSION_END_INFO.status && (key & 7) === WIRE.varint) info.status = reader.varint();
    else if (field === SESSION_END_INFO.endTimeSecs && (key & 7) === WIRE.fixed64) info.endTimeSecs = reader.double();
    else reader.skip(key & 7);
  }
  return info;
}

/** Decodes an hparams plugin summary's content (HParamsPluginData). */
export function decodeHparamsPluginData(content: Uint8Array): HparamsPluginData {
  const reader = new ProtoReader(content);
  const data: HparamsPluginData = {};
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
