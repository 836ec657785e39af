import { getJson } from './api.js';
import { h, replace } from './element.js';
import { histogramHeatmap } from './histogramHeatmap.js';
import { LineChart } from './lineChart.js';
import { mediaPanel, type PanelRun } from './mediaPanel.js';
import { isHiddenMetric, stepMetricFor } from './stepMetric.js';
import type { KeyInfo, MetricDefinition } from './types.js';

export interface WorkspaceRun extends PanelRun {
  metrics: MetricDefinition[];
}

const DEFAULT_X = 'default';

/**
 * Charts, media panels and histogram heat maps for a set of runs, with the chart controls (x axis, smoothing,
 * log scale, key filter). Charts are drawn when they scroll into view, so a run with hundreds of keys opens fast.
 */
export class Workspace {
  readonly element: HTMLElement;
  private charts: LineChart[] = [];
  private keys: KeyInfo[] = [];
  private readonly xSelect: HTMLSelectElement;
  private readonly smoothing: HTMLInputElement;
  private readonly logScale: HTMLInputElement;
  private readonly filter: HTMLInputElement;
  private readonly body: HTMLElement;
  private observer: IntersectionObserver | undefined;

  constructor(
    private readonly runs: WorkspaceRun[],
    private readonly stream: 'default' | 'system' = 'default',
  ) {
    this.xSelect = h('select', { class: 'x-axis', onchange: () => this.updateCharts({ x: true }) });
    this.smoothing = h('input', { type: 'range', min: 0, max: 0.99, step: 0.01, value: 0, class: 'smoothing' });
    this.smoothing.addEventListener('change', () => this.updateCharts({}));
    this.logScale = h('input', { type: 'checkbox', class: 'log-scale', onchange: () => this.updateCharts({}) });
    this.filter = h('input', { type: 'search', placeholder: 'filter keys', class: 'key-filter' });
    this.filter.addEventListener('input', () => this.build());
    this.body = h('div', { class: 'workspace-body' }, h('p', { class: 'muted' }, 'loading…'));
    this.element = h(
      'div',
      { class: 'workspace' },
      h(
        'div',
        { class: 'controls' },
        h('label', null, 'x axis ', this.xSelect),
        h('label', null, 'smoothing ', this.smoothing),
        h('label', null, this.logScale, ' log scale'),
        this.filter,
      ),
      this.body,
    );
  }

  async load(): Promise<void> {
    if (!this.runs.length) {
      replace(this.body, h('p', { class: 'muted' }, 'select runs to compare'));
      return;
    }
    const { keys } = await getJson<{ keys: KeyInfo[] }>('/api/keys', {
      runs: this.runs.map((r) => r.path).join(','),
      stream: this.stream,
    });
    this.keys = keys.sort((a, b) => a.key.localeCompare(b.key));
    const numeric = this.keys.filter((k) => k.kind === 'number').map((k) => k.key);
    const axes = this.stream === 'system' ? ['_runtime', '_timestamp'] : [DEFAULT_X, '_step', '_runtime', '_timestamp'];
    const label = (x: string) =>
      x === DEFAULT_X
        ? 'default (stepMetric)'
        : x === '_timestamp'
          ? 'wall time'
          : x === '_runtime'
            ? 'relative time (s)'
            : x;
    replace(
      this.xSelect,
      ...[...axes, ...numeric.filter((k) => !k.startsWith('_'))].map((x) => h('option', { value: x }, label(x))),
    );
    this.build();
  }

  private xFor(key: string): string {
    const x = this.xSelect.value;
    if (x !== DEFAULT_X) return x;
    return stepMetricFor(
      key,
      this.runs.flatMap((run) => run.metrics),
    );
  }

  private build(): void {
    for (const chart of this.charts) chart.destroy();
    this.charts = [];
    this.observer?.disconnect();
    // Charts load as they come near the viewport (600 px ahead), so a run with hundreds of keys opens fast.
    this.observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (!entry.isIntersecting) continue;
          this.observer?.unobserve(entry.target);
          this.charts
            .find((c) => c.element === entry.target)
            ?.load()
            .catch((e: Error) => {
              entry.target.append(h('p', { class: 'error' }, e.message));
            });
        }
      },
      { rootMargin: '600px 0px' },
    );
    const needle = this.filter.value.trim().toLowerCase();
    const definitions = this.runs.flatMap((run) => run.metrics);
    const shown = this.keys.filter(
      (k) =>
        !k.key.startsWith('_') && (needle ? k.key.toLowerCase().includes(needle) : !isHiddenMetric(k.key, definitions)),
    );
    const sections: HTMLElement[] = [];
    const groups = new Map<string, KeyInfo[]>();
    for (const info of shown) {
      const slash = info.key.lastIndexOf('/');
      const group =
        info.kind === 'number'
          ? slash > 0
            ? info.key.slice(0, slash)
            : 'charts'
          : info.kind === 'histogram'
            ? 'histograms'
            : 'media';
      if (!groups.has(group)) groups.set(group, []);
      groups.get(group)?.push(info);
    }
    // Chart groups by name, then histograms, then media.
    const rank = (group: string) => (group === 'media' ? 2 : group === 'histograms' ? 1 : 0);
    const ordered = [...groups].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
    for (const [group, infos] of ordered) {
      const items: HTMLElement[] = [];
      for (const info of infos) {
        if (info.kind === 'number') {
          const chart = new LineChart({
            key: info.key,
            runs: this.runs.filter((r) => info.runs.includes(r.path)),
            xKey: this.xFor(info.key),
            stream: this.stream,
            smoothing: Number(this.smoothing.value),
            logScale: this.logScale.checked,
          });
          this.charts.push(chart);
          items.push(chart.element);
        } else if (info.kind === 'histogram') {
          // Only the runs that logged the key get a panel.
          for (const run of this.runs.filter((r) => info.runs.includes(r.path)))
            items.push(
              histogramHeatmap(run.path, info.key, this.runs.length > 1 ? `${info.key} · ${run.label}` : info.key),
            );
        } else if (info.kind !== 'string') {
          items.push(
            mediaPanel(
              info.key,
              this.runs.filter((r) => info.runs.includes(r.path)),
            ),
          );
        }
      }
      if (items.length)
        sections.push(
          h(
            'details',
            { class: 'section', open: true },
            h('summary', null, group),
            h('div', { class: 'grid-panels' }, ...items),
          ),
        );
    }
    replace(this.body, ...(sections.length ? sections : [h('p', { class: 'muted' }, 'nothing logged yet')]));
    for (const chart of this.charts) this.observer.observe(chart.element);
  }

  private updateCharts(change: { x?: boolean }): void {
    for (const chart of this.charts) {
      const key = chart.element.dataset.key ?? '';
      chart.update({
        smoothing: Number(this.smoothing.value),
        logScale: this.logScale.checked,
        ...(change.x ? { xKey: this.xFor(key) } : {}),
      });
    }
  }

  /** New rows arrived for a live run: charts append the new points; a new key (or a run new to a key) rebuilds. */
  async onLive(): Promise<void> {
    const { keys } = await getJson<{ keys: KeyInfo[] }>('/api/keys', {
      runs: this.runs.map((r) => r.path).join(','),
      stream: this.stream,
    });
    const signature = (list: KeyInfo[]) =>
      list
        .map((k) => `${k.key}:${k.runs.length}`)
        .sort()
        .join('|');
    if (signature(keys) !== signature(this.keys)) {
      await this.load();
      return;
    }
    await Promise.all(this.charts.map((chart) => chart.appendLive()));
  }

  destroy(): void {
    this.observer?.disconnect();
    for (const chart of this.charts) chart.destroy();
  }
}
