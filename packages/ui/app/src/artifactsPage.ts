import { getJson } from './api.js';
import { h, replace } from './element.js';
import { formatBytes, formatDate } from './format.js';
import { keyValueTable } from './keyValueTable.js';
import { lineageGraph } from './lineageGraph.js';
import type { ArtifactCollectionInfo, ArtifactVersionInfo, LineageGraph } from './types.js';

/** A project's artifacts: collections, their versions with aliases, a version's files, and the lineage graph. */
export async function artifactsPage(root: HTMLElement, project: string, collection?: string): Promise<() => void> {
  const [{ collections }, graph] = await Promise.all([
    getJson<{ collections: ArtifactCollectionInfo[] }>(`/api/projects/${project}/artifacts`),
    getJson<LineageGraph>(`/api/projects/${project}/lineage`),
  ]);
  const detail = h('div', { class: 'artifact-detail' });
  replace(
    root,
    h('h1', null, h('a', { href: `#/p/${project}`, class: 'small' }, project), ' / artifacts'),
    collections.length
      ? h(
          'table',
          { class: 'grid collections' },
          h(
            'thead',
            null,
            h('tr', null, ...['name', 'type', 'versions', 'aliases', 'created'].map((c) => h('th', null, c))),
          ),
          h(
            'tbody',
            null,
            ...collections.map((c) =>
              h(
                'tr',
                { class: c.name === collection ? 'active' : '' },
                h('td', null, h('a', { href: `#/a/${project}/${c.name}` }, c.name)),
                h('td', null, c.type ?? ''),
                h('td', null, c.versionCount),
                h(
                  'td',
                  null,
                  Object.entries(c.aliases)
                    .map(([alias, v]) => `${alias}→v${v}`)
                    .join(' '),
                ),
                h('td', null, formatDate(c.createdAt)),
              ),
            ),
          ),
        )
      : h('p', { class: 'muted' }, 'no artifacts logged in this project'),
    detail,
    h('h2', null, 'Lineage'),
    graph.nodes.length
      ? h('div', { class: 'lineage-host' }, lineageGraph(graph, project))
      : h('p', { class: 'muted' }, 'no runs used or logged artifacts'),
  );
  if (collection) await showCollection(detail, project, collection);
  return () => {};
}

async function showCollection(detail: HTMLElement, project: string, name: string): Promise<void> {
  const { versions } = await getJson<{ versions: ArtifactVersionInfo[] }>(`/api/projects/${project}/artifacts/${name}`);
  const files = h('div', { class: 'version-files' });
  const open = async (version: number) => {
    const info = await getJson<ArtifactVersionInfo>(`/api/projects/${project}/artifacts/${name}/v${version}`);
    replace(
      files,
      h('h3', null, `${name}:v${version}`, info.aliases.length ? ` (${info.aliases.join(', ')})` : ''),
      h('p', { class: 'muted' }, `digest ${info.digest ?? ''}`),
      keyValueTable(info.metadata ?? {}, 'no metadata'),
      h(
        'table',
        { class: 'grid' },
        h(
          'tbody',
          null,
          ...(info.files ?? []).map((f) =>
            h(
              'tr',
              null,
              h('td', null, f.path),
              h('td', null, formatBytes(f.size)),
              h('td', { class: 'muted mono' }, f.digest.slice(0, 12)),
            ),
          ),
        ),
      ),
    );
  };
  replace(
    detail,
    h('h2', null, name),
    h(
      'table',
      { class: 'grid versions' },
      h(
        'thead',
        null,
        h('tr', null, ...['version', 'aliases', 'size', 'files', 'created', 'producer'].map((c) => h('th', null, c))),
      ),
      h(
        'tbody',
        null,
        ...versions.map((v) =>
          h(
            'tr',
            null,
            h('td', null, h('a', { href: 'javascript:void 0', onclick: () => void open(v.version) }, `v${v.version}`)),
            h('td', null, ...v.aliases.map((a) => h('span', { class: 'tag' }, a))),
            h('td', null, formatBytes(v.size)),
            h('td', null, v.fileCount ?? ''),
            h('td', null, formatDate(v.createdAt)),
            h(
              'td',
              null,
              v.producer ? h('a', { href: `#/r/${v.producer.project}/${v.producer.runId}` }, v.producer.runId) : '',
            ),
          ),
        ),
      ),
    ),
    files,
  );
  if (versions.length) await open(versions[versions.length - 1].version);
}
