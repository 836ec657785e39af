import { decodeValue, getJson } from './api.js';
import { h, replace } from './element.js';
import { formatDate, formatValue } from './format.js';
import type { SweepListEntry } from './sweepTypes.js';

/** The sweeps of a project, newest first, each linking to its sweep page. */
export async function sweepsPage(root: HTMLElement, project: string): Promise<() => void> {
  const { sweeps } = decodeValue(await getJson<{ sweeps: SweepListEntry[] }>(`/api/projects/${project}/sweeps`)) as {
    sweeps: SweepListEntry[];
  };
  replace(
    root,
    h('h1', null, `${project} sweeps`, ' ', h('a', { href: `#/p/${project}`, class: 'small' }, 'runs')),
    sweeps.length === 0
      ? h('p', { class: 'muted' }, 'No sweeps yet: create one with runlog sweep sweep.yaml --project ', project)
      : h(
          'table',
          { class: 'grid sweeps-list' },
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              ...['sweep', 'method', 'metric', 'state', 'trials', 'best', 'created'].map((t) => h('th', null, t)),
            ),
          ),
          h(
            'tbody',
            null,
            ...sweeps.map((s) =>
              h(
                'tr',
                { 'data-sweep': s.id },
                h('td', null, h('a', { href: `#/s/${project}/${s.id}` }, s.name ?? s.id)),
                h('td', null, s.method),
                h('td', null, s.metric ? `${s.metric.goal} ${s.metric.name}` : '-'),
                h('td', null, s.state),
                h('td', { class: 'num' }, String(s.trials)),
                h('td', { class: 'num' }, s.best ? formatValue(s.best.value) : '-'),
                h('td', null, formatDate(s.createdAt)),
              ),
            ),
          ),
        ),
  );
  return () => {};
}
