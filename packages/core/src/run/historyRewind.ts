import { existsSync } from 'node:fs';
import { cp, mkdir, open, readFile, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWriteFile } from '../storage/atomicWrite.js';
import { RUN_FILES } from '../storage/storePaths.js';
import { cutHistory, type HistoryCut } from './historyCut.js';

/** A rewind recorded in run.json's `rewinds` (docs/FORMAT.md). */
export interface RewindRecord {
  step: number;
  at: string;
  /** The rows after `step`, moved out of history.jsonl: a path in the run folder, or null when there were none. */
  archive: string | null;
  archivedRows: number;
}

/**
 * wandb's rewind (`resumeFrom`): history.jsonl keeps its rows up to `step`; the later bytes are first copied
 * (and fsynced) to `archive/history-<n>.jsonl`, then cut off, so nothing is deleted. The index keeps only its
 * blocks that end inside the kept part (an index is optional: the rest is read from history.jsonl).
 */
export async function rewindHistory(
  runDir: string,
  step: number,
  rewindNumber: number,
): Promise<HistoryCut & { record: RewindRecord }> {
  const history = join(runDir, RUN_FILES.history);
  const cut = await cutHistory(history, step);
  const record: RewindRecord = { step, at: new Date().toISOString(), archive: null, archivedRows: 0 };
  if (cut.keptBytes < cut.size) {
    const archive = `archive/history-${rewindNumber}.jsonl`;
    await mkdir(join(runDir, 'archive'), { recursive: true });
    const tail = (await readFile(history)).subarray(cut.keptBytes);
    const handle = await open(join(runDir, archive), 'w');
    try {
      await handle.writeFile(tail);
      await handle.sync();
    } finally {
      await handle.close();
    }
    record.archive = archive;
    record.archivedRows = tail
      .toString('utf8')
      .split('\n')
      .filter((line) => line.length > 0).length;
    await truncate(history, cut.keptBytes);
    await trimIndex(join(runDir, RUN_FILES.historyIndex), cut.keptBytes);
  }
  return { ...cut, record };
}

/** wandb's fork (`forkFrom`): the new run's history.jsonl starts as the source's rows up to `step`; media is copied. */
export async function forkHistory(sourceDir: string, runDir: string, step: number): Promise<HistoryCut> {
  const cut = await cutHistory(join(sourceDir, RUN_FILES.history), step);
  await mkdir(runDir, { recursive: true });
  const kept = (await readFile(join(sourceDir, RUN_FILES.history)).catch(() => Buffer.alloc(0))).subarray(
    0,
    cut.keptBytes,
  );
  await atomicWriteFile(join(runDir, RUN_FILES.history), kept);
  // Rows point at media files by paths inside the run folder: the copy needs its own.
  if (existsSync(join(sourceDir, RUN_FILES.media)))
    await cp(join(sourceDir, RUN_FILES.media), join(runDir, RUN_FILES.media), { recursive: true });
  return cut;
}

async function trimIndex(path: string, keptBytes: number): Promise<void> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return; // no index: nothing to trim
  }
  const kept = text.split('\n').filter((line) => {
    try {
      const end = (JSON.parse(line) as { end?: unknown }).end;
      return typeof end === 'number' && end <= keptBytes;
    } catch {
      return false;
    }
  });
  await atomicWriteFile(path, kept.map((line) => `${line}\n`).join(''));
}
