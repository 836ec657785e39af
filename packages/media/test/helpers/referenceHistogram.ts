/**
 * An independent, deliberately plain numpy.histogram: edges by numpy.linspace (start + i * step, last = stop),
 * then each finite value is placed by searching the edges (searchsorted 'right', the last bin closed), which is
 * what numpy's fast path computes. No shared code with core.
 */
export function referenceHistogram(values: ArrayLike<number>, numBins: number) {
  const finite: number[] = [];
  let nanCount = 0;
  let infCount = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) nanCount++;
    else if (!Number.isFinite(v)) infCount++;
    else finite.push(v);
  }
  if (finite.length === 0) return { bins: [] as number[], values: [] as number[], nanCount, infCount };
  let min = finite[0];
  let max = finite[0];
  for (const v of finite) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === max) return { bins: [min - 0.5, max + 0.5], values: [finite.length], nanCount, infCount };
  const step = (max - min) / numBins;
  const bins = Array.from({ length: numBins + 1 }, (_, i) => (i === numBins ? max : i * step + min));
  const counts = new Array<number>(numBins).fill(0);
  for (const v of finite) {
    let bin = numBins - 1;
    for (let i = 1; i < numBins; i++) {
      if (v < bins[i]) {
        bin = i - 1;
        break;
      }
    }
    counts[bin]++;
  }
  return { bins, values: counts, nanCount, infCount };
}
