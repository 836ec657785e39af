import { join } from 'node:path';
import type { RunView } from '@runlog/core';
import { EventFileWriter } from '../format/eventFileWriter.js';
import { imageSummaries } from '../images/imageSummaries.js';
import { runMediaFiles } from '../logdir/runMediaFiles.js';
import { HPARAMS_STATUS } from '../proto/fieldNumbers.js';
import { FlatRowEvents } from '../proto/flatRowEvents.js';
import { EncoderTarget, type ScalarForm } from '../values/encoderTarget.js';
import { hparamsFromConfig } from '../values/hparamsFromConfig.js';
import { visitStoredValue } from '../values/storedValue.js';
import { summaryScalars } from '../values/summaryScalars.js';
import type { SkipCounts } from '../values/summaryTarget.js';

export interface ExportRunOptions {
  /** The folder under the logdir this run's event file goes in (see `exportRuns` for the default). */
  folder: string;
  /** Scalars as float64 tensors (TensorBoard's current form, default) or float32 `simple_value`s. */
  scalars?: ScalarForm;
  /** Called as history is read: the fraction of the run's history done. */
  onProgress?: (fraction: number) => void;
}

export interface ExportedRun {
  /** `project/id` of the run. */
  run: string;
  /** The event file written. */
  file: string;
  rows: number;
  images: number;
  /** Values TensorBoard has no place for (video, tables...), by kind. */
  skipped: SkipCounts;
}

/** Encoded bytes handed to the file at a time: about a history chunk's events (1 MiB), kept in cache. */
const FLUSH_BYTES = 1024 * 1024;
const RUNLOG_COLUMNS = new Set(['_step', '_runtime', '_timestamp']);

/** Seconds since the epoch of an ISO time, or of now. */
function seconds(iso: string | null | undefined): number {
  const time = iso ? Date.parse(iso) : Number.NaN;
  return (Number.isNaN(time) ? Date.now() : time) / 1000;
}

function endStatus(state: string): number {
  if (state === 'finished') return HPARAMS_STATUS.success;
  if (state === 'running' || state === 'pending' || state === 'preempting') return HPARAMS_STATUS.running;
  return HPARAMS_STATUS.failure;
}

/**
 * Writes one stored run as an event file `<folder>/events.out.tfevents.<created>.runlog.<run id>`: its config as
 * hparams, every history row as one event at its step and time (scalars, histograms, text), images as events of
 * their own, summary values the scalars do not already show, and how the run ended. The file is written under a
 * temporary name and renamed when complete, so exporting again replaces it whole.
 */
export async function exportRun(run: RunView, options: ExportRunOptions): Promise<ExportedRun> {
  const created = seconds(run.createdAt);
  const path = join(
    options.folder,
    `events.out.tfevents.${String(Math.floor(created)).padStart(10, '0')}.runlog.${run.id}`,
  );
  // Room for what is encoded while a flush is in flight (a history chunk's events) without growing the buffer.
  const writer = new EventFileWriter(path, { atomic: true, startTime: created, bufferBytes: 4 * FLUSH_BYTES });
  const encoder = writer.encoder;
  const target = new EncoderTarget(encoder, options.scalars);
  const load = runMediaFiles(run);
  const result: ExportedRun = { run: run.path, file: path, rows: 0, images: 0, skipped: target.skipped };
  try {
    encoder.sessionStart(seconds(run.startedAt), {
      hparams: hparamsFromConfig(run.config),
      groupName: run.id,
      startTimeSecs: seconds(run.startedAt),
    });
    // The last step and time, for rows without them (in a typed array: doubles in a closure are boxed per store)
    const last = Float64Array.of(0, created);
    // One write in flight while the next history chunk is read and encoded; its failure fails the export.
    let flushing: Promise<void> | undefined;
    let failure: unknown;
    const flushIfLarge = () => {
      if (failure !== undefined) throw failure;
      if (flushing !== undefined || writer.pendingBytes < FLUSH_BYTES) return;
      flushing = writer.flush().then(
        () => {
          flushing = undefined;
        },
        (error) => {
          failure = error;
          flushing = undefined;
        },
      );
    };
    // Rows of numbers in the default scalar form: whole events laid out once per set of keys.
    const rowEvents = options.scalars === 'simple_value' ? undefined : new FlatRowEvents(encoder);
    const scan = run.scanHistory({
      onProgress: (read, total) => options.onProgress?.(total > 0 ? read / total : 1),
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
        const step = typeof row._step === 'number' ? row._step : last[0];
        const time = typeof row._timestamp === 'number' ? row._timestamp : last[1];
        encoder.beginEvent(time, step);
        for (const key in row) {
          const value = row[key];
          // numbers first: most of a history (runlog's own columns are the only keys starting with "_" but one)
          if (typeof value === 'number') {
            if (key.charCodeAt(0) !== 95 || !RUNLOG_COLUMNS.has(key)) target.scalar(key, value);
          } else visitStoredValue(target, key, value);
        }
        encoder.endEvent();
        result.rows++;
        last[0] = step;
        last[1] = time;
        if (target.pendingImages.length > 0) result.images += await writeImages(target, encoder, time, step, load);
        flushIfLarge();
      },
    });
    rowEvents?.settle();
    await flushing;
    if (failure !== undefined) throw failure;
    const extra = summaryScalars(run.summary, (tag) => encoder.lastScalar(tag));
    if (extra.length > 0) {
      encoder.beginEvent(last[1], last[0]);
      for (const [tag, value] of extra) target.scalar(tag, value);
      encoder.endEvent();
    }
    encoder.sessionEnd(seconds(run.finishedAt ?? run.updatedAt), {
      status: endStatus(run.state),
      endTimeSecs: seconds(run.finishedAt ?? run.updatedAt),
    });
    await writer.close();
  } catch (error) {
    await writer.abandon();
    throw error;
  }
  options.onProgress?.(1);
  return result;
}

/** Reads and encodes the images collected in `target` and writes them as events at `step`; returns how many. */
async function writeImages(
  target: EncoderTarget,
  encoder: EventFileWriter['encoder'],
  time: number,
  step: number,
  load: (path: string) => Promise<Uint8Array>,
): Promise<number> {
  let count = 0;
  for (const { tag, refs } of target.takeImages()) {
    let summaries: Awaited<ReturnType<typeof imageSummaries>>;
    try {
      summaries = await imageSummaries(tag, refs, load);
    } catch {
      target.skip('image (unreadable)');
      continue;
    }
    encoder.beginEvent(time, step);
    for (const summary of summaries) encoder.images(summary.tag, summary.width, summary.height, summary.encoded);
    encoder.endEvent();
    count += refs.length;
  }
  return count;
}
