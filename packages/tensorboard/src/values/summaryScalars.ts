/**
 * The numbers of a run summary that deserve a scalar of their own, as `[tag, value]` under `summary/<key path>`:
 * TensorBoard's HParams tab shows each scalar's last value, which already is the summary of a key summarised by
 * its last value; keys summarised otherwise (defineMetric's min, max, mean, best), set by hand or never logged
 * get a `summary/` scalar so the tab can compare them. `lastScalar` tells the last value written under a tag.
 */
export function summaryScalars(
  summary: Record<string, unknown>,
  lastScalar: (tag: string) => number | undefined,
): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  const visit = (path: string, value: unknown) => {
    if (typeof value === 'number') {
      const last = lastScalar(path);
      if (last === undefined || !Object.is(last, value)) out.push([`summary/${path}`, value]);
    } else if (value !== null && typeof value === 'object' && !Array.isArray(value) && !('_type' in value)) {
      for (const [key, inner] of Object.entries(value)) visit(`${path}.${key}`, inner);
    }
  };
  for (const [key, value] of Object.entries(summary)) visit(key, value);
  return out;
}
