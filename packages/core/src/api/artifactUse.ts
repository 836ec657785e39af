/** One line of a run's artifacts.jsonl: an artifact version the run used or logged. */
export interface ArtifactUse {
  direction: 'used' | 'logged';
  /** `<project>/<name>:v<N>` */
  artifact: string;
  type: string;
  digest: string;
  _timestamp: number;
}

/** The artifact versions a run used or logged (its `artifacts` stream's rows), in the order it did, each once. */
export function artifactUses(records: readonly Record<string, unknown>[], direction: ArtifactUse['direction']) {
  const seen = new Set<string>();
  const uses: ArtifactUse[] = [];
  for (const record of records) {
    const use = record as Partial<ArtifactUse>;
    if (use.direction !== direction || typeof use.artifact !== 'string' || seen.has(use.artifact)) continue;
    seen.add(use.artifact);
    uses.push(use as ArtifactUse);
  }
  return uses;
}
