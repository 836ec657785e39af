import type { FastifyInstance } from 'fastify';
import { commitUpload, planUpload } from '../../folders/runUploadService.js';
import { param } from '../params.js';
import { readJsonObject } from '../requestBody.js';
import type { ServerContext } from '../serverContext.js';
import { folderRoutes } from './folderRoutes.js';

/**
 * t9k's upload of a run into a folder (docs/PROTOCOL.md, "Folders and t9k uploads"): the plan (where the run
 * goes, after the conflict strategy) and the commit of a replace. The run itself travels by the sync protocol.
 */
export function uploadRoutes(app: FastifyInstance, context: ServerContext): void {
  folderRoutes(app, context);
  app.post('/api/v1/run-uploads', async (request) =>
    planUpload(context.db, request.principal, await readJsonObject(request)),
  );
  app.post('/api/v1/run-uploads/:id/commit', async (request) =>
    commitUpload(context.db, request.principal, param(request, 'id')),
  );
}
