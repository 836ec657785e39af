/** What toHtml() shows of a run. */
export interface HtmlRun {
  path: string;
  name: string;
  state: string;
  url: string | null;
  summary: Record<string, unknown>;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * wandb's `Run.to_html(height, hidden)`: an iframe of the run's dashboard page when its URL is known
 * (RUNLOG_UI_URL or RUNLOG_HOST), else a static table of the run's summary.
 */
export function runHtml(run: HtmlRun, height = 420, hidden = false): string {
  const style = `border:none;width:100%;height:${Math.max(0, Math.floor(height))}px;${hidden ? 'display:none;' : ''}`;
  if (run.url) return `<iframe src="${escapeHtml(run.url)}" style="${style}" title="${escapeHtml(run.path)}"></iframe>`;
  const rows = Object.entries(run.summary)
    .map(([key, value]) => `<tr><td>${escapeHtml(key)}</td><td>${escapeHtml(cell(value))}</td></tr>`)
    .join('');
  return (
    `<div style="${hidden ? 'display:none;' : ''}"><p>${escapeHtml(run.name)} (${escapeHtml(run.path)}, ${escapeHtml(run.state)})</p>` +
    `<table><thead><tr><th>summary</th><th>value</th></tr></thead><tbody>${rows}</tbody></table></div>`
  );
}

function cell(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}
