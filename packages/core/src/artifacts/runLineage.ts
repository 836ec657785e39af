import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readJsonLines } from '../storage/index.js';

/** One line of a run's `artifacts.jsonl`: a version the run used or logged. */
export interface RunArtifactRecord {
  direction: 'used' | 'logged';
  /** `project/name:vN`; for a distributed part not finished yet, `project/name` with `distributedId`. */
  artifact: string;
  type: string;
  digest: string | null;
  _timestamp: number;
  useAs?: string;
  distributedId?: string;
  /** For linkArtifact / linkModel: the source version that was linked. */
  linkedFrom?: string;
}

/** Appends one record to `<runDir>/artifacts.jsonl` (one write per line, O_APPEND). */
export async function appendRunArtifact(runDir: string, record: RunArtifactRecord): Promise<void> {
  await mkdir(runDir, { recursive: true });
  await appendFile(join(runDir, 'artifacts.jsonl'), `${JSON.stringify(record)}\n`);
}

/** The versions a run used and logged, in order (a torn last line is ignored). */
export async function readRunArtifacts(runDir: string): Promise<RunArtifactRecord[]> {
  const records: RunArtifactRecord[] = [];
  for await (const record of readJsonLines<RunArtifactRecord>(join(runDir, 'artifacts.jsonl'))) records.push(record);
  return records;
}
