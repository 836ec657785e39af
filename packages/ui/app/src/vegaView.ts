import { fileUrl, getJson } from './api.js';
import { h, replace } from './element.js';
import type { MediaRef } from './types.js';

/** A Vega-Lite (or Vega) plot: the spec inline or in a JSON file, rendered by vega-embed (loaded on first use). */
export function vegaView(run: string, ref: MediaRef): HTMLElement {
  const container = h('div', { class: 'media-vega' }, 'loading plot…');
  const spec = async () => (ref.spec ? ref.spec : getJson<unknown>(fileUrl(run, String(ref.path))));
  Promise.all([spec(), import('vega-embed')])
    .then(async ([value, { default: embed }]) => {
      replace(container);
      await embed(container, value as Parameters<typeof embed>[1], { actions: false, renderer: 'svg' });
      container.dataset.rendered = 'true';
    })
    .catch((error: Error) => replace(container, `cannot draw the plot: ${error.message}`));
  return container;
}
