import { decodeValue, getJson } from './api.js';
import { h, replace } from './element.js';
import { runColor } from './format.js';
import { subscribeLive } from './liveSource.js';
import { RunsTable } from './runsTable.js';
import type { RunDetail, RunRecord } from './types.js';
import { Workspace, type WorkspaceRun } from './workspace.js';

const MAX_COMPARED = 10;
const LIVE_STATES = new Set(['running', 'pending', 'preempting']);

/** A project: the runs table and, below it, charts and media of the runs ticked in it. */
export async function projectPage(root: HTMLElement, project: string): Promise<() => void> {
  const filterInput = h('input', {
    type: 'search',
    class: 'server-filter',
    placeholder: 'filter (JSON, e.g. {"state":"finished","config.lr":{"$lt":0.01}})',
  });
  const orderInput = h('input', { type: 'search', class: 'server-order', placeholder: 'order, e.g. -summary.loss' });
  const error = h('p', { class: 'error' });
  const tableHost = h('div', { class: 'table-host' });
  const workspaceHost = h('div', { class: 'workspace-host' });
  replace(
    root,
    h(
      'h1',
      null,
      project,
      ' ',
      h('a', { href: `#/a/${project}`, class: 'small' }, 'artifacts'),
      ' ',
      h('a', { href: `#/sw/${project}`, class: 'small' }, 'sweeps'),
    ),
    h('div', { class: 'controls' }, filterInput, orderInput, error),
    tableHost,
    h('h2', null, 'Compare'),
    workspaceHost,
  );
  const selected = new Set<string>();
  let table: RunsTable | undefined;
  let workspace: Workspace | undefined;
  let unsubscribe = () => {};
  let runs: RunRecord[] = [];

  const loadRuns = async () => {
    const filters = filterInput.value.trim();
    const response = await getJson<{ runs: RunRecord[] }>(`/api/projects/${project}/runs`, {
      filters: filters || undefined,
      order: orderInput.value.trim() || undefined,
    });
    runs = decodeValue(response.runs) as RunRecord[];
    error.textContent = '';
  };

  const showWorkspace = async () => {
    workspace?.destroy();
    unsubscribe();
    const chosen = runs.filter((r) => selected.has(`${r.project}/${r.id}`)).slice(0, MAX_COMPARED);
    const details = await Promise.all(chosen.map((r) => getJson<RunDetail>(`/api/runs/${r.project}/${r.id}`)));
    const wsRuns: WorkspaceRun[] = chosen.map((run, i) => ({
      path: `${run.project}/${run.id}`,
      label: run.name,
      color: runColor(i),
      metrics: details[i].metrics ?? [],
    }));
    workspace = new Workspace(wsRuns);
    replace(workspaceHost, workspace.element);
    await workspace.load();
    const live = chosen.filter((r) => LIVE_STATES.has(r.state)).map((r) => `${r.project}/${r.id}`);
    unsubscribe = subscribeLive(live, {
      history: (event) => event.stream === 'default' && void workspace?.onLive(),
      state: (event) => {
        const known = runs.find((r) => `${r.project}/${r.id}` === event.run);
        if (known?.state !== event.state) void loadRuns().then(() => table?.setRuns(runs));
      },
    });
  };

  let pending: number | undefined;
  const onSelect = () => {
    window.clearTimeout(pending);
    pending = window.setTimeout(() => void showWorkspace(), 250);
  };

  const reload = async () => {
    try {
      await loadRuns();
    } catch (e) {
      error.textContent = (e as Error).message;
      return;
    }
    if (!table) {
      // Compare the five newest runs until the user picks.
      const newest = [...runs].sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)));
      for (const run of newest.slice(0, 5)) selected.add(`${run.project}/${run.id}`);
      table = new RunsTable(runs, selected, onSelect);
      replace(tableHost, table.element);
      void showWorkspace();
    } else table.setRuns(runs);
  };
  filterInput.addEventListener('change', () => void reload());
  orderInput.addEventListener('change', () => void reload());
  await reload();
  return () => {
    unsubscribe();
    workspace?.destroy();
  };
}
