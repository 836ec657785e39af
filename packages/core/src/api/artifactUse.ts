import { join } from 'node:path';
import { readJsonLines } from '../storage/jsonLines.js';
import { RUN_FILES } from '../storage/storePaths.js';

/** One line of a run's artifacts.jsonl: an artifact version the run used or logged. */
export interface ArtifactUse {
  direction: 'used' | 'logged';
  /** `<project>/<name>:v<N>` */
  artifact: string;
  type: string;
  digest: string;
  _timestamp: number;
}

/** The artifact versions a run used or logged, in the order it did, each once. */
export async function readArtifactUses(runDir: string, direction: ArtifactUse['direction']): Promise<ArtifactUse[]> {
  const seen = new Set<string>();
  const uses: ArtifactUse[] = [];
  for await (const line of readJsonLines<ArtifactUse>(join(runDir, RUN_FILES.artifacts))) {
    if (line?.direction !== direction || typeof line.artifact !== 'string' || seen.has(line.artifact)) continue;
    seen.add(line.artifact);
    uses.push(line);
  }
  return uses;
}
