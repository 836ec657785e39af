import type { StoreAccess } from '@runlog/core';
import type { ArtifactCollectionInfo, LineageGraph } from './dashboardTypes.js';
import { versionInfo } from './dashboardViews.js';
import { HttpError } from './httpError.js';
import { sendJson } from './httpResponses.js';
import { type Route, route } from './route.js';
import { projectName } from './runRef.js';
import { runArtifactLinks } from './runRoutes.js';

/** Artifact collections, versions with aliases and files, and the lineage graph (runs <-> versions). */
export function artifactRoutes(access: StoreAccess): Route[] {
  return [
    route('GET', '/api/projects/:project/artifacts', async ({ res, params }) => {
      const collections = await access.artifactCollections(projectName(params.project));
      sendJson(res, {
        collections: collections.map(
          (c): ArtifactCollectionInfo => ({
            name: c.name,
            type: c.type ?? null,
            description: c.description ?? null,
            createdAt: c.createdAt ?? null,
            versionCount: c.versionCount,
            aliases: c.aliases,
          }),
        ),
      });
    }),
    route('GET', '/api/projects/:project/artifacts/:name', async ({ res, params }) => {
      const versions = await access.artifactVersions(projectName(params.project), params.name);
      sendJson(res, { versions: versions.map(versionInfo) });
    }),
    route('GET', '/api/projects/:project/artifacts/:name/:version', async ({ res, params }) => {
      const version = Number(params.version.replace(/^v/, ''));
      if (!Number.isInteger(version) || version < 0) throw new HttpError(400, 'version must look like v3');
      const found = await access.artifactVersion(`${projectName(params.project)}/${params.name}:v${version}`);
      const { entries } = found.manifest;
      const files = Object.keys(entries)
        .sort()
        .map((path) => ({ path, size: entries[path].size ?? 0, digest: entries[path].digest ?? '' }));
      sendJson(res, { ...versionInfo(found), files });
    }),
    route('GET', '/api/projects/:project/lineage', async ({ res, params }) => {
      sendJson(res, await lineage(access, projectName(params.project)));
    }),
  ];
}

/** Runs and artifact versions of a project joined by what each run used and logged. */
export async function lineage(access: StoreAccess, project: string): Promise<LineageGraph> {
  const graph: LineageGraph = { nodes: [], edges: [] };
  const versions = new Set<string>();
  const { runs } = await access.listRuns({ project });
  const links = await Promise.all(runs.map((run) => runArtifactLinks(access, { project, id: run.record.id })));
  runs.forEach((run, i) => {
    const { logged, used } = links[i];
    if (!logged.length && !used.length) return;
    const runNode = `run:${project}/${run.record.id}`;
    graph.nodes.push({ id: runNode, kind: 'run', label: run.record.name, state: run.state });
    for (const [list, kind] of [
      [used, 'used'],
      [logged, 'logged'],
    ] as const) {
      for (const link of list) {
        const node = `artifact:${link.artifact}`;
        if (!versions.has(node)) {
          versions.add(node);
          graph.nodes.push({ id: node, kind: 'version', label: link.artifact.replace(`${project}/`, '') });
        }
        graph.edges.push(kind === 'used' ? { from: node, to: runNode, kind } : { from: runNode, to: node, kind });
      }
    }
  });
  return graph;
}
