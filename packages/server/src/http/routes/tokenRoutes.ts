import type { FastifyInstance } from 'fastify';
import { isRole, requireRole } from '../../auth/roles.js';
import { createToken, revokeToken } from '../../auth/tokens.js';
import { safeName } from '../names.js';
import { param } from '../params.js';
import { readJsonObject } from '../requestBody.js';
import type { ServerContext } from '../serverContext.js';
import { ServerError } from '../serverError.js';

/** Tokens over HTTP, for admins: create (the secret is in this answer only) and revoke. */
export function tokenRoutes(app: FastifyInstance, { db }: ServerContext): void {
  app.post('/api/v1/tokens', async (request) => {
    const body = await readJsonObject(request);
    const project = body.project === undefined || body.project === null ? null : safeName('project', body.project);
    if (!isRole(body.role)) throw new ServerError(400, 'INVALID_ARGUMENT', 'role must be read, write or admin');
    // An admin of one project may hand out tokens for that project only.
    requireRole(request.principal, project, 'admin');
    const label = typeof body.label === 'string' ? body.label.slice(0, 200) : '';
    return createToken(db, { project, role: body.role, label });
  });

  app.delete('/api/v1/tokens/:id', async (request) => {
    requireRole(request.principal, null, 'admin');
    return { revoked: await revokeToken(db, param(request, 'id')) };
  });
}
