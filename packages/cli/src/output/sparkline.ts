const BARS = '▁▂▃▄▅▆▇█';

/** A unicode sparkline of numbers (NaN/±Infinity or missing points print as a space). */
export function sparkline(values: readonly (number | undefined)[]): string {
  const finite = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  if (finite.length === 0) return ' '.repeat(values.length);
  let min = finite[0];
  let max = finite[0];
  for (const v of finite) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const span = max - min;
  return values
    .map((v) => {
      if (v === undefined || !Number.isFinite(v)) return ' ';
      const level = span === 0 ? 3 : Math.round(((v - min) / span) * (BARS.length - 1));
      return BARS[level];
    })
    .join('');
}
