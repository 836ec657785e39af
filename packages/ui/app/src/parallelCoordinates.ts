import type { SweepParameterSpec, SweepTrial } from './sweepTypes.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 960;
const HEIGHT = 320;
const MARGIN = { top: 28, bottom: 24, left: 40, right: 40 };

interface Axis {
  key: string;
  label: string;
  /** A trial's position on the axis, 0 (bottom) to 1 (top); undefined when it has no value. */
  position(trial: SweepTrial): number | undefined;
  ticks: Array<{ at: number; text: string }>;
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>, text?: string) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

const short = (value: unknown) => {
  if (typeof value !== 'number') return String(value);
  return Math.abs(value) >= 1e4 || (value !== 0 && Math.abs(value) < 1e-3)
    ? value.toExponential(1)
    : String(Number(value.toPrecision(3)));
};

function numericAxis(
  key: string,
  label: string,
  read: (t: SweepTrial) => unknown,
  trials: SweepTrial[],
  log: boolean,
): Axis {
  const values = trials
    .map(read)
    .filter((v): v is number => typeof v === 'number' && Number.isFinite(v) && (!log || v > 0));
  const scale = (v: number) => (log ? Math.log(v) : v);
  const low = values.length ? Math.min(...values.map(scale)) : 0;
  const high = values.length ? Math.max(...values.map(scale)) : 1;
  const span = high - low || 1;
  const unscale = (s: number) => (log ? Math.exp(s) : s);
  return {
    key,
    label,
    position: (trial) => {
      const v = read(trial);
      return typeof v === 'number' && Number.isFinite(v) && (!log || v > 0) ? (scale(v) - low) / span : undefined;
    },
    ticks: [0, 0.5, 1].map((at) => ({ at, text: short(unscale(low + at * span)) })),
  };
}

function categoricalAxis(key: string, read: (t: SweepTrial) => unknown, trials: SweepTrial[], known?: unknown[]): Axis {
  const categories = known ?? [...new Set(trials.map((t) => JSON.stringify(read(t))))].map((text) => JSON.parse(text));
  const index = new Map(categories.map((value, i) => [JSON.stringify(value), i]));
  const at = (i: number) => (categories.length === 1 ? 0.5 : i / (categories.length - 1));
  return {
    key,
    label: key,
    position: (trial) => {
      const i = index.get(JSON.stringify(read(trial)));
      return i === undefined ? undefined : at(i);
    },
    ticks: categories.map((value, i) => ({ at: at(i), text: short(value) })),
  };
}

/**
 * Parallel coordinates of the trials: one axis per searched parameter (log scale for log distributions,
 * categories spread evenly) and a last one for the metric; one line per trial that has a metric value, coloured
 * from worst (grey) to best (blue), the best trial drawn last, thick and green.
 */
export function parallelCoordinates(
  trials: SweepTrial[],
  specs: SweepParameterSpec[],
  keys: string[],
  metric: { name: string; goal: string } | undefined,
  bestId: string | undefined,
): SVGSVGElement {
  const scored = trials.filter((t) => typeof t.value === 'number');
  const axes: Axis[] = keys.map((key) => {
    const spec = specs.find((s) => s.key === key);
    const read = (t: SweepTrial) => t.params[key];
    const numeric = scored.every((t) => typeof read(t) === 'number' || read(t) === undefined);
    if (spec?.distribution === 'categorical' || !numeric) return categoricalAxis(key, read, scored, spec?.values);
    return numericAxis(key, key, read, scored, spec?.distribution.includes('log') ?? false);
  });
  if (metric) axes.push(numericAxis('__metric', metric.name, (t) => t.value, scored, false));
  const root = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'parallel-coordinates', role: 'img' });
  const x = (i: number) =>
    MARGIN.left + (axes.length === 1 ? 0 : (i * (WIDTH - MARGIN.left - MARGIN.right)) / (axes.length - 1));
  const y = (p: number) => HEIGHT - MARGIN.bottom - p * (HEIGHT - MARGIN.top - MARGIN.bottom);
  const values = scored.map((t) => t.value as number);
  const worst = metric?.goal === 'maximize' ? Math.min(...values) : Math.max(...values);
  const best = metric?.goal === 'maximize' ? Math.max(...values) : Math.min(...values);
  const ordered = [...scored].sort((a, b) => (a.id === bestId ? 1 : b.id === bestId ? -1 : 0));
  for (const trial of ordered) {
    const points = axes.map((axis, i) => {
      const p = axis.position(trial);
      return p === undefined ? undefined : `${x(i).toFixed(1)},${y(p).toFixed(1)}`;
    });
    if (points.some((p) => p === undefined)) continue;
    const quality = best === worst ? 1 : ((trial.value as number) - worst) / (best - worst);
    const isBest = trial.id === bestId;
    const path = svg('polyline', {
      points: points.join(' '),
      class: isBest ? 'trial-line best' : 'trial-line',
      'data-trial': trial.number,
      stroke: isBest ? '#1a9850' : `rgba(43, 108, 176, ${(0.15 + 0.75 * quality).toFixed(2)})`,
    });
    path.append(svg('title', {}, `trial ${trial.number}: ${metric?.name ?? 'value'} ${short(trial.value)}`));
    root.append(path);
  }
  axes.forEach((axis, i) => {
    const group = svg('g', { class: 'axis', 'data-axis': axis.key });
    group.append(svg('line', { x1: x(i), x2: x(i), y1: y(0), y2: y(1) }));
    group.append(
      svg('text', { x: x(i), y: MARGIN.top - 10, 'text-anchor': 'middle', class: 'axis-label' }, axis.label),
    );
    for (const tick of axis.ticks)
      group.append(svg('text', { x: x(i) + 4, y: y(tick.at) + 4, class: 'tick' }, tick.text));
    root.append(group);
  });
  return root;
}
