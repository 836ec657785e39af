import { toEpochMs } from '../run/liveness.js';
import { FilterError } from './filterError.js';
import { resolveKeyPath } from './keyPath.js';
import type { RunRecord, RunState } from './runRecord.js';

/** What filters and sort orders look at: run.json, summary.json and the state a reader sees. */
export interface RunFacts {
  record: RunRecord;
  summary: Record<string, unknown>;
  state: RunState;
  runtime?: number;
}

/** Plain fields a filter or an order may name; `config.<path>` and `summary.<path>` address values too. */
export const RUN_FIELDS = [
  'id',
  'name',
  'project',
  'state',
  'tags',
  'notes',
  'group',
  'jobType',
  'createdAt',
  'startedAt',
  'finishedAt',
  'updatedAt',
  'runtime',
] as const;

export const DATE_FIELDS = new Set(['createdAt', 'startedAt', 'finishedAt', 'updatedAt']);

export type FieldReader = (facts: RunFacts) => unknown;

/** Compiles a field name into a reader, or throws FILTER_INVALID naming the fields that exist. */
export function fieldReader(field: string): FieldReader {
  if (field.startsWith('config.') && field.length > 7) {
    const path = field.slice(7);
    return (facts) => resolveKeyPath(facts.record.config, path);
  }
  if (field.startsWith('summary.') && field.length > 8) {
    const path = field.slice(8);
    return (facts) => resolveKeyPath(facts.summary, path);
  }
  switch (field) {
    case 'state':
      return (facts) => facts.state;
    case 'runtime':
      return (facts) => facts.runtime;
    case 'tags':
      return (facts) => (Array.isArray(facts.record.tags) ? facts.record.tags : []);
    default:
      if (!(RUN_FIELDS as readonly string[]).includes(field)) {
        throw new FilterError(
          `unknown field ${JSON.stringify(field)}: use one of ${RUN_FIELDS.join(', ')}, config.<key> or summary.<key>`,
        );
      }
      if (DATE_FIELDS.has(field)) return (facts) => toEpochMs(facts.record[field]) ?? null;
      return (facts) => facts.record[field] ?? null;
  }
}
