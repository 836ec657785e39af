import type { FastifyInstance } from 'fastify';
import { requireRole } from '../../auth/roles.js';
import { folderPath } from '../../folders/folderPath.js';
import { findFolder, folderNotFound, folderUser, makeFolder } from '../../folders/folderService.js';
import { stringQuery } from '../params.js';
import { readJsonObject } from '../requestBody.js';
import type { ServerContext } from '../serverContext.js';

/**
 * t9k's folders (docs/PROTOCOL.md, "Folders and t9k uploads"): look one up (the read role on its project), make
 * one with its parents (the write role, as a run's first sync makes its project).
 */
export function folderRoutes(app: FastifyInstance, { db }: ServerContext): void {
  app.get('/api/v1/folders', async (request) => {
    const folder = folderPath(stringQuery(request, 'path'), await folderUser(db, request.principal));
    requireRole(request.principal, folder.project, 'read');
    if (!(await findFolder(db, folder))) throw folderNotFound(folder);
    return { path: folder.path, project: folder.project };
  });

  app.post('/api/v1/folders', async (request) => {
    const body = await readJsonObject(request);
    const folder = folderPath(body.path, await folderUser(db, request.principal));
    requireRole(request.principal, folder.project, 'write');
    const made = await db.transaction((client) => makeFolder(client, folder));
    return { path: folder.path, project: folder.project, made };
  });
}
