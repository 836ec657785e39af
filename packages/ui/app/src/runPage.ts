import { type ApiError, decodeValue, fileUrl, getJson, sendAction } from './api.js';
import { h, replace } from './element.js';
import { formatBytes, formatDate, formatDuration, runColor } from './format.js';
import { keyValueTable } from './keyValueTable.js';
import { subscribeLive } from './liveSource.js';
import { tagList } from './runsTable.js';
import type { AlertRecord, ArtifactLink, RunDetail, RunFile } from './types.js';
import { Workspace } from './workspace.js';

const TABS = ['overview', 'charts', 'system', 'logs', 'files', 'artifacts'] as const;
type Tab = (typeof TABS)[number];

/** One run: overview (config, summary, metadata, alerts, edit tags/notes, delete), charts, system, logs, files. */
export async function runPage(
  root: HTMLElement,
  project: string,
  id: string,
  tab: Tab = 'overview',
): Promise<() => void> {
  const path = `${project}/${id}`;
  let run: RunDetail;
  try {
    run = decodeValue(await getJson<RunDetail>(`/api/runs/${path}`)) as RunDetail;
  } catch (error) {
    replace(root, h('p', { class: 'error' }, (error as Error).message));
    return () => {};
  }
  const body = h('div', { class: 'run-body' });
  const nav = h(
    'nav',
    { class: 'tabs' },
    ...TABS.map((t) => h('a', { href: `#/r/${path}/${t}`, class: t === tab ? 'active' : '' }, t)),
  );
  replace(
    root,
    h(
      'h1',
      null,
      h('a', { href: `#/p/${project}`, class: 'small' }, project),
      ' / ',
      run.name,
      ' ',
      h('span', { class: `state state-${run.state}` }, run.state),
    ),
    h(
      'p',
      { class: 'muted' },
      `${run.id} · created ${formatDate(run.createdAt)} · runtime ${formatDuration(run.runtime)}`,
      run.group ? ` · group ${run.group}` : '',
      run.jobType ? ` · job ${run.jobType}` : '',
    ),
    nav,
    body,
  );
  const cleanups: Array<() => void> = [];
  const live = ['running', 'pending', 'preempting'].includes(run.state);
  if (tab === 'overview') overview(body, run);
  if (tab === 'charts' || tab === 'system') {
    const workspace = new Workspace(
      [{ path, label: run.name, color: runColor(0), metrics: run.metrics ?? [] }],
      tab === 'system' ? 'system' : 'default',
    );
    replace(body, workspace.element);
    await workspace.load();
    if (live) {
      const stream = tab === 'system' ? 'system' : 'default';
      cleanups.push(subscribeLive([path], { history: (e) => e.stream === stream && void workspace.onLive() }));
    }
    cleanups.push(() => workspace.destroy());
  }
  if (tab === 'logs') cleanups.push(await logs(body, path, live));
  if (tab === 'files') {
    const { files } = await getJson<{ files: RunFile[] }>(`/api/runs/${path}/files`);
    replace(
      body,
      h(
        'table',
        { class: 'grid files' },
        h(
          'tbody',
          null,
          ...files.map((f) =>
            h(
              'tr',
              null,
              h('td', null, h('a', { href: fileUrl(path, f.name), target: '_blank' }, f.name)),
              h('td', null, formatBytes(f.size)),
            ),
          ),
        ),
      ),
    );
  }
  if (tab === 'artifacts') {
    const links = await getJson<{ logged: ArtifactLink[]; used: ArtifactLink[] }>(`/api/runs/${path}/artifacts`);
    const list = (items: ArtifactLink[]) =>
      items.length
        ? h(
            'ul',
            null,
            ...items.map((a) =>
              h(
                'li',
                null,
                h('a', { href: `#/a/${a.artifact.split('/')[0]}` }, a.artifact),
                a.type ? ` (${a.type})` : '',
              ),
            ),
          )
        : h('p', { class: 'muted' }, 'none');
    replace(body, h('h3', null, 'Logged'), list(links.logged), h('h3', null, 'Used'), list(links.used));
  }
  return () => {
    for (const cleanup of cleanups) cleanup();
  };
}

function overview(body: HTMLElement, run: RunDetail): void {
  const path = `${run.project}/${run.id}`;
  const tagsInput = h('input', {
    value: run.tags.join(', '),
    class: 'edit-tags',
    placeholder: 'tags, comma separated',
  });
  const notesInput = h('textarea', { class: 'edit-notes', rows: 3, placeholder: 'notes' });
  notesInput.value = run.notes ?? '';
  const message = h('span', { class: 'muted save-message' });
  const save = async () => {
    try {
      const tags = tagsInput.value
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      const updated = await sendAction<RunDetail>('PATCH', `/api/runs/${path}`, { tags, notes: notesInput.value });
      replace(tagsHost, tagList(updated.tags));
      message.textContent = 'saved';
    } catch (error) {
      message.textContent = (error as ApiError).message;
    }
  };
  const remove = async () => {
    const answer = window.prompt(
      `Delete run ${run.name} and its files? This cannot be undone. Type its id (${run.id}) to confirm.`,
    );
    if (answer !== run.id) return;
    await sendAction('DELETE', `/api/runs/${path}?confirm=${encodeURIComponent(run.id)}`);
    location.hash = `#/p/${run.project}`;
  };
  const tagsHost = h('span', null, tagList(run.tags));
  const alerts = h('div', null);
  replace(
    body,
    h(
      'section',
      { class: 'edit' },
      h('div', null, 'tags: ', tagsHost),
      tagsInput,
      notesInput,
      h(
        'div',
        null,
        h('button', { onclick: () => void save(), class: 'save' }, 'save'),
        ' ',
        message,
        h('button', { onclick: () => void remove(), class: 'danger' }, 'delete run…'),
      ),
    ),
    h(
      'div',
      { class: 'columns' },
      h('section', null, h('h3', null, 'Config'), keyValueTable(run.config, 'no config')),
      h('section', null, h('h3', null, 'Summary'), keyValueTable(run.summary, 'no summary yet')),
    ),
    h('section', null, h('h3', null, 'Alerts'), alerts),
    h(
      'section',
      null,
      h('h3', null, 'Metadata'),
      keyValueTable(run.metadata ?? {}, 'no metadata'),
      run.exitCode !== null && run.exitCode !== undefined ? h('p', null, `exit code ${run.exitCode}`) : null,
    ),
  );
  getJson<{ alerts: AlertRecord[] }>(`/api/runs/${path}/alerts`).then(({ alerts: list }) =>
    replace(
      alerts,
      list.length
        ? h(
            'ul',
            { class: 'alerts' },
            ...list.map((a) =>
              h(
                'li',
                { class: `alert alert-${a.level}` },
                h('b', null, `${a.level} ${a.title}`),
                ` ${a.text}`,
                a._step !== undefined ? h('span', { class: 'muted' }, ` · step ${a._step}`) : null,
              ),
            ),
          )
        : h('p', { class: 'muted' }, 'no alerts'),
    ),
  );
}

async function logs(body: HTMLElement, path: string, live: boolean): Promise<() => void> {
  const pre = h('pre', { class: 'console' });
  const note = h('p', { class: 'muted' });
  replace(body, note, pre);
  let offset: number | undefined;
  const pull = async () => {
    const out = await getJson<{ text: string; offset: number; truncated: boolean }>(`/api/runs/${path}/output`, {
      from: offset,
    });
    if (offset === undefined && out.truncated) note.textContent = 'showing the last 256 KiB';
    const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    pre.append(out.text);
    offset = out.offset;
    if (atBottom) pre.scrollTop = pre.scrollHeight;
  };
  await pull();
  if (!pre.textContent) note.textContent = 'no console output captured';
  if (!live) return () => {};
  const timer = window.setInterval(() => void pull(), 1500);
  return () => window.clearInterval(timer);
}
