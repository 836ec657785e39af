import { h } from './element.js';
import { flatten, formatValue } from './format.js';

/** A two-column table of a nested object's key paths and values. */
export function keyValueTable(object: Record<string, unknown>, emptyText = 'nothing'): HTMLElement {
  const entries = Object.entries(flatten(object));
  if (!entries.length) return h('p', { class: 'muted' }, emptyText);
  return h(
    'table',
    { class: 'grid kv' },
    h(
      'tbody',
      null,
      ...entries.map(([key, value]) => h('tr', null, h('th', null, key), h('td', null, formatValue(value)))),
    ),
  );
}
