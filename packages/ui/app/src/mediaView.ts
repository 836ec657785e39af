import { fileUrl } from './api.js';
import { h } from './element.js';
import { imageView } from './imageView.js';
import { tableView } from './tableView.js';
import type { MediaRef } from './types.js';
import { vegaView } from './vegaView.js';

/** The right view for a media reference, by its `_type` (image-file, video-file, audio-file, table-file...). */
export function mediaView(run: string, ref: MediaRef): HTMLElement {
  const type = ref._type;
  if (type.endsWith('-list') && Array.isArray(ref.items)) {
    return h('div', { class: 'media-gallery' }, ...(ref.items as MediaRef[]).map((item) => mediaView(run, item)));
  }
  const src = ref.path ? fileUrl(run, ref.path) : '';
  const caption = ref.caption ? h('figcaption', null, String(ref.caption)) : null;
  if (type === 'text') return h('pre', { class: 'media-text' }, String(ref.text ?? ''));
  if (type.startsWith('image')) return imageView(run, ref);
  if (type.startsWith('video')) {
    const animated = /\.(gif|webp|apng)$/i.test(String(ref.path));
    const player = animated
      ? h('img', { src, class: 'media-image', alt: String(ref.caption ?? '') })
      : h('video', { src, controls: true, loop: true, muted: true, preload: 'metadata', class: 'media-video' });
    return h('figure', { class: 'media-item' }, player, caption);
  }
  if (type.startsWith('audio')) {
    return h('figure', { class: 'media-item' }, h('audio', { src, controls: true, preload: 'metadata' }), caption);
  }
  if (type.startsWith('table')) return tableView(run, ref);
  if (type.includes('vega') || type.startsWith('plot')) return vegaView(run, ref);
  if (type.startsWith('html') && src) {
    return h('iframe', { src, sandbox: '', class: 'media-html', title: String(ref.caption ?? 'html') });
  }
  return h('pre', { class: 'media-json' }, JSON.stringify(ref, null, 2));
}
