import { decodeValue, getJson } from './api.js';
import { h, replace } from './element.js';
import { formatDate, formatValue } from './format.js';
import { parallelCoordinates } from './parallelCoordinates.js';
import './sweepPage.css';
import type { SweepParameterStatistic, SweepReportBody, SweepTrial } from './sweepTypes.js';

function importanceTable(stats: SweepParameterStatistic[]): HTMLElement {
  const sorted = [...stats].sort((a, b) => (b.importance ?? -1) - (a.importance ?? -1));
  const bar = (value: number | null, negative = false) =>
    value === null
      ? '-'
      : h(
          'span',
          { class: 'bar-cell' },
          h('span', {
            class: negative && value < 0 ? 'bar negative' : 'bar',
            style: `width: ${Math.round(Math.abs(value) * 100)}px`,
          }),
          ` ${value.toFixed(3)}`,
        );
  return h(
    'table',
    { class: 'grid sweep-importance' },
    h(
      'thead',
      null,
      h('tr', null, h('th', null, 'parameter'), h('th', null, 'importance'), h('th', null, 'correlation')),
    ),
    h(
      'tbody',
      null,
      ...sorted.map((s) =>
        h(
          'tr',
          { 'data-parameter': s.key },
          h('td', null, s.key),
          h('td', null, bar(s.importance)),
          h('td', null, bar(s.correlation, true)),
        ),
      ),
    ),
  );
}

function trialsTable(body: SweepReportBody): HTMLElement {
  const { sweep, config, trials, best, parameterKeys, runs } = body;
  const row = (trial: SweepTrial) =>
    h(
      'tr',
      { 'data-trial': trial.number, class: trial.id === best?.id ? 'best' : undefined },
      h('td', null, String(trial.number)),
      h('td', null, h('a', { href: `#/r/${sweep.project}/${trial.id}` }, runs[trial.id]?.name ?? trial.id)),
      h('td', { class: `state state-${trial.state}` }, trial.state),
      h('td', { class: 'num metric' }, trial.value === undefined ? '-' : formatValue(trial.value)),
      ...parameterKeys.map((key) => h('td', { class: 'num' }, formatValue(trial.params[key]))),
      h('td', { class: 'muted why' }, trial.stopReason ?? ''),
    );
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'grid sweep-trials' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', null, '#'),
          h('th', null, 'run'),
          h('th', null, 'state'),
          h('th', null, config.metric?.name ?? 'value'),
          ...parameterKeys.map((key) => h('th', null, key)),
          h('th', null, 'why'),
        ),
      ),
      h('tbody', null, ...trials.map(row)),
    ),
  );
}

/**
 * A sweep: its state, the best trial, parallel coordinates of the parameters to the metric, each parameter's
 * importance and correlation with the metric, and the trials table with the best trial highlighted.
 */
export async function sweepPage(root: HTMLElement, project: string, id: string): Promise<() => void> {
  const body = decodeValue(await getJson<SweepReportBody>(`/api/projects/${project}/sweeps/${id}`)) as SweepReportBody;
  const { config, best } = body;
  const metric = config.metric;
  const counts = Object.entries(body.counts)
    .map(([state, n]) => `${n} ${state}`)
    .join(', ');
  replace(
    root,
    h('h1', null, `sweep ${config.name ?? id}`, ' ', h('a', { href: `#/sw/${project}`, class: 'small' }, 'all sweeps')),
    h(
      'p',
      { class: 'sweep-summary' },
      `${config.method} search`,
      metric ? `, ${metric.goal} ${metric.name}` : '',
      config.runCap ? `, run_cap ${config.runCap}` : '',
      ` · ${body.state}${body.doneReason && body.state !== 'running' ? ` (${body.doneReason})` : ''}`,
      ` · ${body.trials.length} trials${counts ? ` (${counts})` : ''} · created ${formatDate(body.sweep.createdAt)}`,
    ),
    best
      ? h(
          'p',
          { class: 'sweep-best' },
          'best: trial ',
          String(best.number),
          ' (',
          h('a', { href: `#/r/${project}/${best.id}` }, body.runs[best.id]?.name ?? best.id),
          `) ${metric?.name ?? 'value'} ${formatValue(best.value)}`,
        )
      : h('p', { class: 'muted' }, 'no finished trial yet'),
    h('h2', null, 'Parameters and ', metric?.name ?? 'metric'),
    parallelCoordinates(body.trials, config.parameters, body.parameterKeys, metric, best?.id),
    h('h2', null, 'Parameter importance'),
    importanceTable(body.parameters),
    h('h2', null, 'Trials'),
    trialsTable(body),
  );
  return () => {};
}
