import type { DashboardStore, LineageGraph } from './dashboardStore.js';
import { HttpError } from './httpError.js';
import { sendJson } from './httpResponses.js';
import { type Route, route } from './route.js';
import { projectName } from './runRef.js';

/** Artifact collections, versions with aliases and files, and the lineage graph (runs <-> versions). */
export function artifactRoutes(store: DashboardStore): Route[] {
  return [
    route('GET', '/api/projects/:project/artifacts', async ({ res, params }) => {
      sendJson(res, { collections: await store.artifactCollections(projectName(params.project)) });
    }),
    route('GET', '/api/projects/:project/artifacts/:name', async ({ res, params }) => {
      sendJson(res, { versions: await store.artifactVersions(projectName(params.project), params.name) });
    }),
    route('GET', '/api/projects/:project/artifacts/:name/:version', async ({ res, params }) => {
      const version = Number(params.version.replace(/^v/, ''));
      if (!Number.isInteger(version) || version < 0) throw new HttpError(400, 'version must look like v3');
      sendJson(res, await store.artifactVersion(projectName(params.project), params.name, version));
    }),
    route('GET', '/api/projects/:project/lineage', async ({ res, params }) => {
      sendJson(res, await lineage(store, projectName(params.project)));
    }),
  ];
}

/** Runs and artifact versions of a project joined by what each run used and logged. */
export async function lineage(store: DashboardStore, project: string): Promise<LineageGraph> {
  const graph: LineageGraph = { nodes: [], edges: [] };
  const versions = new Set<string>();
  const runs = await store.runs(project);
  const links = await Promise.all(runs.map((run) => store.runArtifacts(project, run.id)));
  runs.forEach((run, i) => {
    const { logged, used } = links[i];
    if (!logged.length && !used.length) return;
    const runNode = `run:${project}/${run.id}`;
    graph.nodes.push({ id: runNode, kind: 'run', label: run.name, state: run.state });
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
