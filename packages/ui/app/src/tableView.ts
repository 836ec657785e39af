import { decodeValue, fileUrl, getJson } from './api.js';
import { h, replace } from './element.js';
import { formatValue } from './format.js';
import { mediaView } from './mediaView.js';
import { naturalCompare } from './naturalCompare.js';
import type { MediaRef } from './types.js';

interface TableData {
  columns: string[];
  data: unknown[][];
}

const MAX_ROWS = 500;

/** A logged table (inline or a JSON file): sortable by clicking a header, media cells rendered. */
export function tableView(run: string, ref: MediaRef): HTMLElement {
  const container = h('div', { class: 'media-table' }, 'loading table…');
  const load = async (): Promise<TableData> => {
    if (Array.isArray(ref.columns) && Array.isArray(ref.data)) return ref as unknown as TableData;
    return decodeValue(await getJson<TableData>(fileUrl(run, String(ref.path)))) as TableData;
  };
  load()
    .then((table) => render(container, run, table))
    .catch((error: Error) => replace(container, `cannot load the table: ${error.message}`));
  return container;
}

function render(container: HTMLElement, run: string, table: TableData): void {
  let sortColumn = -1;
  let descending = false;
  const draw = () => {
    const rows = [...table.data];
    if (sortColumn >= 0) {
      rows.sort((a, b) => compare(a[sortColumn], b[sortColumn]) * (descending ? -1 : 1));
    }
    const head = h(
      'tr',
      null,
      ...table.columns.map((name, i) =>
        h(
          'th',
          {
            class: 'sortable',
            onclick: () => {
              descending = sortColumn === i ? !descending : false;
              sortColumn = i;
              draw();
            },
          },
          name,
          sortColumn === i ? (descending ? ' ▼' : ' ▲') : '',
        ),
      ),
    );
    const body = rows
      .slice(0, MAX_ROWS)
      .map((row) => h('tr', null, ...row.map((cell) => h('td', null, cell_(run, cell)))));
    replace(
      container,
      h('table', { class: 'grid' }, h('thead', null, head), h('tbody', null, ...body)),
      rows.length > MAX_ROWS ? h('p', { class: 'muted' }, `first ${MAX_ROWS} of ${rows.length} rows`) : null,
    );
  };
  draw();
}

function cell_(run: string, value: unknown): Node | string {
  if (value && typeof value === 'object' && typeof (value as MediaRef)._type === 'string')
    return mediaView(run, value as MediaRef);
  return formatValue(value);
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return naturalCompare(formatValue(a), formatValue(b));
}
