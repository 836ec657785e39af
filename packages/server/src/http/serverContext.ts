import type { Principal } from '../auth/roles.js';
import type { TokenVerifier } from '../auth/tokens.js';
import type { BlobService } from '../blobs/blobService.js';
import type { Database } from '../db/database.js';

/** What every route reaches: the database, the blobs, and how callers are authenticated. */
export interface ServerContext {
  db: Database;
  blobs: BlobService;
  tokens: TokenVerifier;
  /** Set with --no-auth (loopback only): every request acts as this principal. */
  anonymous?: Principal;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
}
