import { getJson } from './api.js';
import { h, replace } from './element.js';
import { mediaView } from './mediaView.js';
import type { MediaRef, MediaResponse } from './types.js';

export interface PanelRun {
  path: string;
  label: string;
  color: string;
}

/**
 * One media key for several runs side by side, with a step slider over every step any of them logged it at.
 * Each run shows its value at the chosen step, or at the latest step before it.
 */
export function mediaPanel(key: string, runs: PanelRun[]): HTMLElement {
  const slider = h('input', { type: 'range', min: 0, max: 0, value: 0, class: 'step-slider' });
  const stepLabel = h('span', { class: 'step-label' });
  const grid = h('div', { class: 'media-runs' });
  const panel = h(
    'section',
    { class: 'media-panel', 'data-key': key },
    h(
      'div',
      { class: 'chart-title' },
      h('span', null, key),
      h('label', { class: 'step-control' }, 'step ', slider, stepLabel),
    ),
    grid,
  );
  Promise.all(runs.map((run) => getJson<MediaResponse>(`/api/runs/${run.path}/media`, { key })))
    .then((responses) => {
      const steps = [...new Set(responses.flatMap((r) => r.steps))].sort((a, b) => a - b);
      if (!steps.length) {
        replace(grid, h('p', { class: 'muted' }, 'nothing logged'));
        return;
      }
      slider.max = String(steps.length - 1);
      slider.value = String(steps.length - 1);
      const show = () => {
        const step = steps[Number(slider.value)];
        stepLabel.textContent = String(step);
        panel.dataset.step = String(step);
        replace(
          grid,
          ...runs.map((run, i) => {
            const { steps: at, values } = responses[i];
            let index = -1;
            for (let j = 0; j < at.length && at[j] <= step; j++) index = j;
            const value = index >= 0 ? (values[index] as MediaRef) : undefined;
            return h(
              'div',
              { class: 'media-run' },
              runs.length > 1 ? h('div', { class: 'media-run-name', style: `color:${run.color}` }, run.label) : null,
              value && typeof value === 'object' ? mediaView(run.path, value) : h('p', { class: 'muted' }, '—'),
              value && index >= 0 && at[index] !== step ? h('p', { class: 'muted' }, `from step ${at[index]}`) : null,
            );
          }),
        );
      };
      slider.addEventListener('input', show);
      show();
    })
    .catch((error: Error) => replace(grid, `cannot load ${key}: ${error.message}`));
  return panel;
}
