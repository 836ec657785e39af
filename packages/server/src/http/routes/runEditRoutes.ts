import type { PendingRunOptions, RunPatch } from '@runlog/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireRole } from '../../auth/roles.js';
import { artifactConsumers, openArtifactFile } from '../../read/artifactLineage.js';
import { createRun, deleteRun, setRunState, updateRun } from '../../read/runEdits.js';
import { safeName } from '../names.js';
import { param, runParams, stringQuery } from '../params.js';
import { readJsonObject } from '../requestBody.js';
import type { ServerContext } from '../serverContext.js';
import { sendFileRange } from './fileResponse.js';

const RUN = '/api/v1/projects/:project/runs/:run';
const VERSION = '/api/v1/projects/:project/artifacts/:name/versions/:selector';

/** A flag in the query: `1` or `true`. */
const flag = (request: FastifyRequest, name: string) => ['1', 'true'].includes(stringQuery(request, name) ?? '');

/**
 * The seam's edits (createRun, updateRun, setRunState, deleteRun: the write role on the run's project) and
 * artifact lineage reads (consumers, a version's file bytes). docs/SERVER.md, "Read API".
 */
export function runEditRoutes(app: FastifyInstance, { db, blobs }: ServerContext): void {
  app.post('/api/v1/projects/:project/runs', async (request) => {
    const project = safeName('project', param(request, 'project'));
    requireRole(request.principal, project, 'write');
    const body = await readJsonObject(request);
    if (body.id !== undefined) safeName('run id', body.id);
    return createRun(db, project, body as unknown as PendingRunOptions);
  });

  app.patch(RUN, async (request) => {
    const { project, runId } = runParams(request);
    requireRole(request.principal, project, 'write');
    return updateRun(db, project, runId, (await readJsonObject(request)) as RunPatch);
  });

  app.post(`${RUN}/state`, async (request) => {
    const { project, runId } = runParams(request);
    requireRole(request.principal, project, 'write');
    return setRunState(db, project, runId, (await readJsonObject(request)).state);
  });

  app.delete(RUN, async (request) => {
    const { project, runId } = runParams(request);
    requireRole(request.principal, project, 'write');
    await deleteRun(db, project, runId, {
      force: flag(request, 'force'),
      deleteArtifacts: flag(request, 'deleteArtifacts'),
    });
    return { deleted: true };
  });

  const version = (request: FastifyRequest) => {
    const names = {
      project: safeName('project', param(request, 'project')),
      name: safeName('artifact name', param(request, 'name')),
      selector: safeName('selector', param(request, 'selector')),
    };
    requireRole(request.principal, names.project, 'read');
    return names;
  };

  app.get(`${VERSION}/consumers`, async (request) => {
    const { project, name, selector } = version(request);
    return artifactConsumers(db, project, name, selector);
  });

  app.get(`${VERSION}/files/*`, async (request, reply) => {
    const { project, name, selector } = version(request);
    const file = await openArtifactFile(db, blobs.store, project, name, selector, param(request, '*'));
    return sendFileRange(request, reply, file);
  });
}
