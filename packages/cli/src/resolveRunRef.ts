import { type Api, NotFoundError, type RunView } from '@runlog/core';

/**
 * A run named on the command line: `project/id`, or just an id or a name when it is unique in the store
 * (within --project when given).
 */
export async function resolveRunRef(api: Api, ref: string, project?: string): Promise<RunView> {
  if (ref.includes('/')) return api.run(ref);
  if (project !== undefined) {
    const direct = await api.run(`${project}/${ref}`).catch(() => undefined);
    if (direct) return direct;
  }
  const runs = await api.runs(project).toArray();
  const byId = runs.filter((r) => r.id === ref);
  const matches = byId.length > 0 ? byId : runs.filter((r) => r.name === ref);
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) {
    throw new NotFoundError(
      'RUN_NOT_FOUND',
      `${JSON.stringify(ref)} names ${matches.length} runs (${matches.map((r) => r.path).join(', ')}); use project/id`,
    );
  }
  throw new NotFoundError('RUN_NOT_FOUND', `no run with id or name ${JSON.stringify(ref)} in ${api.dir}`);
}
