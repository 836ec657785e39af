import uPlot from 'uplot';
import { getJson } from './api.js';
import { h } from './element.js';
import { formatValue } from './format.js';
import { smooth } from './smooth.js';
import type { SeriesResponse } from './types.js';

export interface ChartRun {
  path: string;
  label: string;
  color: string;
}

export interface ChartOptions {
  key: string;
  runs: ChartRun[];
  /** '_step', '_runtime', '_timestamp' (wall time) or a metric. */
  xKey: string;
  stream?: 'default' | 'system';
  smoothing: number;
  logScale: boolean;
  height?: number;
}

interface Points {
  x: number[];
  y: number[];
}

/**
 * A uPlot line chart of one key for several runs. The server sends at most ~4 points per pixel column (M4);
 * zooming (drag a range) asks again for that range, which comes back at full detail once it is small enough;
 * a double click goes back to the whole history. `appendLive()` fetches only points after the last one held.
 */
export class LineChart {
  readonly element: HTMLDivElement;
  private plot: uPlot | undefined;
  private points = new Map<string, Points>();
  private zoom: { min: number; max: number } | undefined;
  private zoomTimer: number | undefined;
  private loading = 0;
  private readonly info: HTMLSpanElement;
  private readonly body: HTMLDivElement;

  constructor(private options: ChartOptions) {
    this.info = h('span', { class: 'chart-info' });
    this.body = h('div', { class: 'chart-body' });
    this.element = h(
      'div',
      { class: 'chart', 'data-key': options.key },
      h('div', { class: 'chart-title' }, h('span', null, options.key), this.info),
      this.body,
    );
  }

  /** Buckets: about one M4 bucket per horizontal pixel. */
  private buckets(): number {
    return Math.max(100, Math.round(this.body.clientWidth || 600));
  }

  async load(range?: { min: number; max: number }): Promise<void> {
    const ticket = ++this.loading;
    const response = await getJson<SeriesResponse>('/api/series', {
      runs: this.options.runs.map((r) => r.path).join(','),
      key: this.options.key,
      x: this.options.xKey,
      stream: this.options.stream,
      buckets: this.buckets(),
      xmin: range?.min,
      xmax: range?.max,
    });
    if (ticket !== this.loading) return;
    this.zoom = range;
    this.points.clear();
    for (const series of response.series) this.points.set(series.run, { x: series.x, y: series.y });
    const shown = response.series.reduce((n, s) => n + s.x.length, 0);
    const total = response.series.reduce((n, s) => n + s.total, 0);
    this.element.dataset.points = String(shown);
    this.element.dataset.total = String(total);
    this.info.textContent =
      shown < total
        ? `${shown.toLocaleString()} of ${total.toLocaleString()} points (M4)`
        : `${total.toLocaleString()} points`;
    this.render();
  }

  /** Fetches the points logged after the last one held and appends them (a live run). */
  async appendLive(): Promise<void> {
    if (this.zoom || !this.plot) return;
    const lastX = Math.max(...[...this.points.values()].map((p) => (p.x.length ? p.x[p.x.length - 1] : -Infinity)));
    const response = await getJson<SeriesResponse>('/api/series', {
      runs: this.options.runs.map((r) => r.path).join(','),
      key: this.options.key,
      x: this.options.xKey,
      stream: this.options.stream,
      buckets: this.buckets(),
      after: Number.isFinite(lastX) ? lastX : undefined,
    });
    let added = 0;
    for (const series of response.series) {
      if (series.downsampled) return this.load(); // too much arrived at once: take a fresh downsampled view
      const held = this.points.get(series.run) ?? { x: [], y: [] };
      held.x.push(...series.x);
      held.y.push(...series.y);
      this.points.set(series.run, held);
      added += series.x.length;
    }
    if (!added) return;
    const shown = [...this.points.values()].reduce((n, p) => n + p.x.length, 0);
    // Held points grow with the run; past a few per pixel a downsampled view is cheaper to draw.
    if (shown > 8 * this.buckets() * this.options.runs.length) return this.load();
    this.element.dataset.points = String(shown);
    this.element.dataset.total = String(Number(this.element.dataset.total ?? 0) + added);
    this.info.textContent = `${shown.toLocaleString()} points`;
    this.render();
  }

  update(options: Partial<ChartOptions>): void {
    const reload = options.xKey !== undefined && options.xKey !== this.options.xKey;
    this.options = { ...this.options, ...options };
    if (reload) void this.load();
    else {
      this.plot?.destroy();
      this.plot = undefined;
      this.render();
    }
  }

  private aligned(): uPlot.AlignedData {
    const tables: uPlot.AlignedData[] = this.options.runs.map((run) => {
      const p = this.points.get(run.path) ?? { x: [], y: [] };
      const y = this.options.logScale ? p.y.map((v) => (v > 0 ? v : null)) : p.y;
      return [p.x, y] as uPlot.AlignedData;
    });
    if (!tables.length) return [[]];
    const joined = tables.length === 1 ? tables[0] : uPlot.join(tables);
    const out: Array<ArrayLike<number | null>> = [joined[0]];
    for (let i = 1; i < joined.length; i++) {
      const raw = Array.from(joined[i] as ArrayLike<number | null | undefined>, (v) => (v === undefined ? null : v));
      out.push(raw);
      if (this.options.smoothing > 0) out.push(smooth(raw, this.options.smoothing));
    }
    return out as uPlot.AlignedData;
  }

  private render(): void {
    const data = this.aligned();
    if (this.plot) {
      this.plot.setData(data, !this.zoom);
      if (this.zoom) this.plot.setScale('x', this.zoom);
      return;
    }
    const smoothed = this.options.smoothing > 0;
    const series: uPlot.Series[] = [{ label: this.options.xKey }];
    for (const run of this.options.runs) {
      series.push({
        label: run.label,
        stroke: smoothed ? `${run.color}44` : run.color,
        width: 1.25,
        spanGaps: true,
        points: { show: false },
        value: (_u, v) => (v === null || v === undefined ? '' : formatValue(v)),
      });
      if (smoothed)
        series.push({
          label: `${run.label} (smoothed)`,
          stroke: run.color,
          width: 1.5,
          spanGaps: true,
          points: { show: false },
        });
    }
    const width = Math.max(280, this.body.clientWidth || 480);
    this.plot = new uPlot(
      {
        width,
        height: this.options.height ?? 220,
        series,
        legend: { show: true, live: true },
        cursor: { drag: { x: true, y: false } },
        scales: {
          x: { time: this.options.xKey === '_timestamp' },
          y: this.options.logScale ? { distr: 3 } : {},
        },
        axes: [
          { stroke: '#666', grid: { stroke: '#eee' } },
          { stroke: '#666', grid: { stroke: '#eee' }, size: 60 },
        ],
        hooks: {
          setSelect: [(u) => this.onSelect(u)],
        },
      },
      data,
      this.body,
    );
    // uPlot's own double click fits the scales to the data held; go back to the whole history instead.
    this.plot.over.addEventListener('dblclick', () => {
      window.clearTimeout(this.zoomTimer);
      void this.load();
    });
  }

  /** A range dragged on the chart: uPlot zooms at once; the detail for that range follows from the server. */
  private onSelect(u: uPlot): void {
    if (u.select.width < 2) return;
    const min = u.posToVal(u.select.left, 'x');
    const max = u.posToVal(u.select.left + u.select.width, 'x');
    window.clearTimeout(this.zoomTimer);
    // Ask the server for the zoomed range: it comes back in more detail (full detail when small enough).
    this.zoomTimer = window.setTimeout(() => void this.load({ min, max }), 120);
  }

  resize(): void {
    if (this.plot)
      this.plot.setSize({ width: Math.max(280, this.body.clientWidth), height: this.options.height ?? 220 });
  }

  destroy(): void {
    this.plot?.destroy();
  }
}
