import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../serverContext.js';

/** The read side (the store-access seam over HTTP): filled in by the read routes' own files. */
export function readRoutes(_app: FastifyInstance, _context: ServerContext): void {}
