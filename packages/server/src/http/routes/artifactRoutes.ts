import type { FastifyInstance } from 'fastify';
import { canSee, requireRole } from '../../auth/roles.js';
import { logArtifactVersion } from '../../ingest/artifactVersions.js';
import { artifactCollections, artifactVersion, artifactVersions } from '../../read/artifactReads.js';
import { safeName } from '../names.js';
import { param, stringQuery } from '../params.js';
import { readJsonObject } from '../requestBody.js';
import type { ServerContext } from '../serverContext.js';

const COLLECTION = '/api/v1/projects/:project/artifacts/:name';

/** Artifact versions: logged by clients (numbered and deduped by the server), read as the seam reads them. */
export function artifactRoutes(app: FastifyInstance, { db, blobs }: ServerContext): void {
  const names = (request: { params: unknown }) => ({
    project: safeName('project', param(request as never, 'project')),
    name: safeName('artifact name', param(request as never, 'name')),
  });

  app.post(`${COLLECTION}/versions`, async (request) => {
    const { project, name } = names(request);
    requireRole(request.principal, project, 'write');
    return logArtifactVersion(db, blobs, project, name, await readJsonObject(request));
  });

  app.get('/api/v1/artifacts', async (request) => {
    const raw = stringQuery(request, 'project');
    const project = raw === undefined ? undefined : safeName('project', raw);
    if (project !== undefined) requireRole(request.principal, project, 'read');
    return artifactCollections(db, project, (p) => canSee(request.principal, p));
  });

  app.get(`${COLLECTION}/versions`, async (request) => {
    const { project, name } = names(request);
    requireRole(request.principal, project, 'read');
    return artifactVersions(db, project, name);
  });

  app.get(`${COLLECTION}/versions/:selector`, async (request) => {
    const { project, name } = names(request);
    requireRole(request.principal, project, 'read');
    return artifactVersion(db, project, name, safeName('selector', param(request, 'selector')));
  });
}
