import { h, replace } from './element.js';
import { flatten, formatDate, formatDuration, formatValue } from './format.js';
import { naturalCompare } from './naturalCompare.js';
import type { RunRecord } from './types.js';

interface Column {
  id: string;
  label: string;
  value: (run: RunRecord, flat: Record<string, unknown>) => unknown;
  render?: (run: RunRecord) => Node | string;
}

const ROW_HEIGHT = 28;
const OVERSCAN = 20;

const BASE_COLUMNS: Column[] = [
  {
    id: 'state',
    label: 'state',
    value: (r) => r.state,
    render: (r) => h('span', { class: `state state-${r.state}` }, r.state),
  },
  {
    id: 'name',
    label: 'name',
    value: (r) => r.name,
    render: (r) => h('a', { href: `#/r/${r.project}/${r.id}`, class: 'run-link' }, r.name),
  },
  { id: 'tags', label: 'tags', value: (r) => r.tags.join(' '), render: (r) => tagList(r.tags) },
  { id: 'createdAt', label: 'created', value: (r) => r.createdAt ?? '', render: (r) => formatDate(r.createdAt) },
  { id: 'runtime', label: 'runtime', value: (r) => r.runtime ?? -1, render: (r) => formatDuration(r.runtime) },
];

export function tagList(tags: string[]): HTMLElement {
  return h('span', { class: 'tags' }, ...tags.map((t) => h('span', { class: 'tag' }, t)));
}

/**
 * The runs of a project: choosable config and summary columns, click a header to sort, type to filter (every
 * word must match the name, id, tags, state, group or job type), tick runs to compare them.
 */
export class RunsTable {
  readonly element: HTMLElement;
  private readonly flat = new Map<string, Record<string, unknown>>();
  private chosen: string[];
  private sortBy = 'createdAt';
  private descending = true;
  private readonly tbody: HTMLTableSectionElement;
  private readonly scroller: HTMLDivElement;
  private shown: RunRecord[] = [];
  /** Every row has one height (CSS: table.runs tbody tr, then measured), so the window follows from scrollTop. */
  private rowHeight = ROW_HEIGHT;
  private readonly thead: HTMLTableSectionElement;
  private readonly search: HTMLInputElement;
  private readonly chooser: HTMLElement;
  private readonly count: HTMLElement;

  constructor(
    private runs: RunRecord[],
    private readonly selected: Set<string>,
    private readonly onSelect: () => void,
  ) {
    for (const run of runs) this.flat.set(this.path(run), this.flatten(run));
    this.chosen = this.defaultColumns();
    this.search = h('input', { type: 'search', placeholder: 'filter runs (name, tag, state…)', class: 'run-filter' });
    this.search.addEventListener('input', () => this.renderBody());
    this.thead = h('thead');
    this.tbody = h('tbody');
    this.scroller = h('div', { class: 'table-scroll' }, h('table', { class: 'grid runs' }, this.thead, this.tbody));
    let frame = 0;
    this.scroller.addEventListener('scroll', () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => this.renderWindow());
    });
    this.chooser = h('div', { class: 'column-list' });
    this.count = h('span', { class: 'muted run-count' });
    this.element = h(
      'div',
      { class: 'runs-table' },
      h(
        'div',
        { class: 'controls' },
        this.search,
        h('details', { class: 'column-chooser' }, h('summary', null, 'columns'), this.chooser),
        this.count,
      ),
      this.scroller,
    );
    this.render();
  }

  private path(run: RunRecord): string {
    return `${run.project}/${run.id}`;
  }

  private flatten(run: RunRecord): Record<string, unknown> {
    return { ...flatten(run.config, 'config.'), ...flatten(run.summary, 'summary.') };
  }

  private allKeys(): string[] {
    const keys = new Set<string>();
    for (const flat of this.flat.values()) for (const key of Object.keys(flat)) keys.add(key);
    return [...keys].filter((k) => !k.startsWith('summary._')).sort();
  }

  /** The config and numeric summary keys most runs have (3 and 4 of them), so a mixed project shows what is shared. */
  private defaultColumns(): string[] {
    const flats = [...this.flat.values()];
    const share = (key: string) => flats.filter((f) => f[key] !== undefined).length;
    const byShare = (keys: string[]) =>
      keys
        .map((key) => ({ key, n: share(key) }))
        .sort((a, b) => b.n - a.n || naturalCompare(a.key, b.key))
        .map((k) => k.key);
    const keys = this.allKeys();
    const numericSummary = keys.filter((k) => k.startsWith('summary.') && flats.some((f) => typeof f[k] === 'number'));
    return [
      ...byShare(keys.filter((k) => k.startsWith('config.'))).slice(0, 3),
      ...byShare(numericSummary).slice(0, 4),
    ];
  }

  setRuns(runs: RunRecord[]): void {
    this.runs = runs;
    this.flat.clear();
    for (const run of runs) this.flat.set(this.path(run), this.flatten(run));
    this.renderBody();
  }

  visibleRuns(): RunRecord[] {
    const words = this.search.value.toLowerCase().split(/\s+/).filter(Boolean);
    const rows = this.runs.filter((run) => {
      if (!words.length) return true;
      const text = [run.name, run.id, run.state, run.group ?? '', run.jobType ?? '', ...run.tags]
        .join(' ')
        .toLowerCase();
      return words.every((w) => text.includes(w));
    });
    const column = this.columns().find((c) => c.id === this.sortBy);
    if (column) {
      const value = (run: RunRecord) => column.value(run, this.flat.get(this.path(run)) ?? {});
      rows.sort((a, b) => {
        const [x, y] = [value(a), value(b)];
        const order =
          typeof x === 'number' && typeof y === 'number'
            ? x - y
            : x === undefined
              ? 1
              : y === undefined
                ? -1
                : naturalCompare(String(x), String(y));
        return this.descending ? -order : order;
      });
    }
    return rows;
  }

  private columns(): Column[] {
    return [
      ...BASE_COLUMNS,
      ...this.chosen.map((key) => ({
        id: key,
        label: key,
        value: (_r: RunRecord, flat: Record<string, unknown>) => flat[key],
      })),
    ];
  }

  private render(): void {
    replace(
      this.chooser,
      ...this.allKeys().map((key) =>
        h(
          'label',
          null,
          h('input', {
            type: 'checkbox',
            checked: this.chosen.includes(key),
            onchange: (event: Event) => {
              const on = (event.target as HTMLInputElement).checked;
              this.chosen = on ? [...this.chosen, key] : this.chosen.filter((k) => k !== key);
              this.render();
            },
          }),
          ` ${key}`,
        ),
      ),
    );
    this.renderBody();
  }

  private renderBody(): void {
    const columns = this.columns();
    const rows = this.visibleRuns();
    const all = h('input', {
      type: 'checkbox',
      title: 'select all shown',
      checked: rows.length > 0 && rows.every((r) => this.selected.has(this.path(r))),
      onchange: (event: Event) => {
        const on = (event.target as HTMLInputElement).checked;
        for (const run of rows) on ? this.selected.add(this.path(run)) : this.selected.delete(this.path(run));
        this.renderBody();
        this.onSelect();
      },
    });
    replace(
      this.thead,
      h(
        'tr',
        null,
        h('th', null, all),
        ...columns.map((column) =>
          h(
            'th',
            {
              class: 'sortable',
              'data-column': column.id,
              onclick: () => {
                this.descending = this.sortBy === column.id ? !this.descending : column.id !== 'name';
                this.sortBy = column.id;
                this.renderBody();
              },
            },
            column.label,
            this.sortBy === column.id ? (this.descending ? ' ▼' : ' ▲') : '',
          ),
        ),
      ),
    );
    this.shown = rows;
    this.renderWindow();
    this.count.textContent = `${rows.length} of ${this.runs.length} runs`;
    this.element.dataset.rendered = String(rows.length);
  }

  /**
   * Only the rows in view (plus a margin) are in the DOM; spacer rows keep the scroll height of all of them, so
   * 1,000 or 100,000 runs cost the same to draw.
   */
  private renderWindow(): void {
    const rows = this.shown;
    const columns = this.columns();
    const top = this.scroller.scrollTop;
    const height = this.scroller.clientHeight || 420;
    const first = Math.max(0, Math.floor(top / this.rowHeight) - OVERSCAN);
    const last = Math.min(rows.length, Math.ceil((top + height) / this.rowHeight) + OVERSCAN);
    const spacer = (count: number) =>
      count > 0 ? h('tr', { class: 'spacer', style: `height:${count * this.rowHeight}px` }) : null;
    const fragment = document.createDocumentFragment();
    const before = spacer(first);
    if (before) fragment.append(before);
    for (let i = first; i < last; i++) {
      const run = rows[i];
      const path = this.path(run);
      const flat = this.flat.get(path) ?? {};
      const checkbox = h('input', {
        type: 'checkbox',
        checked: this.selected.has(path),
        onchange: (event: Event) => {
          (event.target as HTMLInputElement).checked ? this.selected.add(path) : this.selected.delete(path);
          this.onSelect();
        },
      });
      const cells = columns.map((column) =>
        h('td', null, column.render ? column.render(run) : formatValue(column.value(run, flat))),
      );
      fragment.append(h('tr', { 'data-run': path }, h('td', null, checkbox), ...cells));
    }
    const after = spacer(rows.length - last);
    if (after) fragment.append(after);
    this.tbody.replaceChildren(fragment);
    const measured = (this.tbody.querySelector('tr[data-run]') as HTMLElement | null)?.offsetHeight;
    if (measured) this.rowHeight = measured;
  }
}
