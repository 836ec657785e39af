import type { Summary } from '../summary/summary.js';
import type { Config } from './config.js';
import type { RunDocument } from './runDocument.js';

/** `run.toJSON()`: the run as one plain object in t9k's vocabulary, synchronously (no metrics: see toDict). */
export function t9kRunJSON(run: {
  path: string;
  dir: string;
  document: RunDocument;
  config: Config;
  summary: Summary;
}): Record<string, unknown> {
  const d = run.document;
  return {
    id: d.id,
    name: d.name,
    project: d.project,
    path: run.path,
    state: d.state,
    labels: [...d.tags],
    description: d.notes,
    group: d.group,
    jobType: d.jobType,
    hparams: run.config.toJSON(),
    summary: run.summary.toJSON(),
    startTimestamp: d.startedAt,
    endTimestamp: d.finishedAt,
    platform: { ...d.metadata, git: undefined },
    git: d.metadata.git ?? null,
    local: run.dir,
    alternativeName: d.alternativeName ?? null,
  };
}
