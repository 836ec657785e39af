import type { Goal, MetricDefinition, SummaryKind } from './metricDefinition.js';

/** What a key's aggregates are computed from. `min`, `max` and `mean` are undefined when no number was seen. */
export interface AggregateSource {
  min: number | undefined;
  max: number | undefined;
  mean: number | undefined;
  first(): unknown;
  last(): unknown;
}

/** The kinds of a stored definition's summary, parsed once per spec string. */
const parsed = new Map<string, readonly SummaryKind[]>();
function kindsOf(spec: string | undefined): readonly SummaryKind[] | undefined {
  if (spec === undefined) return undefined;
  let kinds = parsed.get(spec);
  if (kinds === undefined) {
    kinds = spec.split(',') as SummaryKind[];
    parsed.set(spec, kinds);
  }
  return kinds;
}

function one(kind: SummaryKind, goal: Goal | undefined, source: AggregateSource): unknown {
  switch (kind) {
    case 'none':
      return undefined;
    case 'first':
      return source.first();
    case 'min':
      return source.min;
    case 'max':
      return source.max;
    case 'mean':
      return source.mean;
    case 'best':
      return goal === 'maximize' ? source.max : source.min;
    default:
      return source.last();
  }
}

/**
 * A key's summary value under its definition: the last value by default; one aggregate as a plain value; several
 * ('min,max,mean') as an object of them, as wandb nests them. Numeric aggregates of a key that never held a number
 * fall back to its last value.
 */
export function aggregate(definition: MetricDefinition | undefined, source: AggregateSource): unknown {
  const kinds = kindsOf(definition?.summary);
  if (kinds === undefined) return source.last();
  const numeric = source.min !== undefined;
  if (kinds.length === 1) {
    const kind = kinds[0];
    if (!numeric && kind !== 'first' && kind !== 'none') return source.last();
    return one(kind, definition?.goal, source);
  }
  if (!numeric && !kinds.includes('first')) return source.last();
  const out: Record<string, unknown> = {};
  for (const kind of kinds) out[kind] = one(kind, definition?.goal, source);
  return out;
}
