import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isEventFileName } from '../format/eventFileName.js';
import { scanRecords } from '../format/recordReader.js';
import { type DecodedEvent, decodeEvent } from '../proto/eventDecoder.js';
import { SESSION_STATUS } from '../proto/fieldNumbers.js';
import type { HparamsPluginData } from '../proto/hparamsProto.js';
import { importedValue, type TagPlugin } from './importedValue.js';
import { emptyStats, type ImportStats } from './importStats.js';

/** Where an event source's values go. */
export interface ValueSink {
  value(step: number, key: string, value: unknown): void;
  /** Drops values at `step` and later whose key passes `matches`; returns how many. */
  purge(step: number, matches: (key: string) => boolean): number;
  hparams(data: HparamsPluginData): void;
}

/** Keys runlog refuses (docs/FORMAT.md): a tag with one of these names is skipped, not renamed. */
const REFUSED_KEYS = new Set(['_step', '_runtime', '_timestamp', '_type', '__proto__', 'constructor', 'prototype']);

function countSkip(stats: ImportStats, reason: string): void {
  stats.skipped[reason] = (stats.skipped[reason] ?? 0) + 1;
}

/**
 * The event files of one folder (one TensorBoard run), read forward from where the last read stopped. Values
 * are keyed `<prefix><tag>` (the prefix names a Keras-style subfolder, `train/`, or is empty). TensorBoard's rules
 * hold: files in name order; a tag's plugin from its first metadata; a record with a bad crc skipped and counted;
 * a file cut inside a record read up to its last whole record (a later read continues there); a restarted writer
 * purges steps it goes back over (SessionLog START for file_version 2, out-of-order steps before).
 */
export class EventSource {
  readonly stats: ImportStats = emptyStats();
  private readonly offsets = new Map<string, number>();
  private readonly plugins = new Map<string, TagPlugin>();
  private readonly keys = new Map<string, string>();
  private readonly ownKeys = new Set<string>();
  private fileVersion = 0;
  private seenStart = false;
  private mostRecentStep = Number.NEGATIVE_INFINITY;

  constructor(
    readonly folder: string,
    readonly prefix: string,
  ) {}

  /** The folder's event files, in name order (TensorBoard's order). */
  async files(): Promise<string[]> {
    const entries = await readdir(this.folder, { withFileTypes: true }).catch(() => []);
    return entries
      .filter((entry) => entry.isFile() && isEventFileName(entry.name))
      .map((entry) => entry.name)
      .sort();
  }

  /** Total size of the folder's event files now, and how much of it is still unread. */
  async sizes(): Promise<{ total: number; unread: number }> {
    let total = 0;
    let unread = 0;
    for (const name of await this.files()) {
      const size = (await stat(join(this.folder, name)).catch(() => undefined))?.size ?? 0;
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
  async read(sink: ValueSink, options: { final: boolean; onBytes?: (bytes: number) => void }): Promise<number> {
    let consumed = 0;
    for (const name of await this.files()) {
      const offset = this.offsets.get(name) ?? 0;
      const bytes = await readFrom(join(this.folder, name), offset);
      if (bytes.length === 0) continue;
      const scan = scanRecords(bytes, 0, bytes.length, (start, end) => {
        this.stats.records++;
        let event: DecodedEvent;
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

  private keyOf(tag: string): string | undefined {
    let key = this.keys.get(tag);
    if (key === undefined) {
      if (tag === '' || REFUSED_KEYS.has(tag)) return undefined;
      key = this.prefix + tag;
      this.keys.set(tag, key);
      this.ownKeys.add(key);
    }
    return key;
  }

  private process(event: DecodedEvent, sink: ValueSink): void {
    const stats = this.stats;
    if (event.fileVersion !== undefined) {
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
    if (event.graph) countSkip(stats, 'graph');
    for (const value of event.values) {
      let plugin = this.plugins.get(value.tag);
      if (plugin === undefined && value.pluginName !== '') {
        plugin = { name: value.pluginName, content: value.pluginContent };
        this.plugins.set(value.tag, plugin);
      }
      let imported: ReturnType<typeof importedValue>;
      try {
        imported = importedValue(value, plugin);
      } catch {
        stats.malformed++;
        continue;
      }
      if (imported.kind === 'skip') {
        countSkip(stats, imported.reason);
        continue;
      }
      if (imported.kind === 'hparams') {
        sink.hparams(imported.data);
        continue;
      }
      const key = this.keyOf(value.tag);
      if (key === undefined) {
        countSkip(stats, 'reserved tag');
        continue;
      }
      if (!Number.isSafeInteger(step) || step < 0) {
        countSkip(stats, 'negative step');
        continue;
      }
      if (imported.kind === 'histogram' && imported.merged) stats.mergedHistograms++;
      sink.value(step, key, imported.value);
      stats.values++;
    }
  }
}

/** The bytes of a file from `offset` to its current end. */
async function readFrom(path: string, offset: number): Promise<Uint8Array> {
  const handle = await open(path, 'r').catch(() => undefined);
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
