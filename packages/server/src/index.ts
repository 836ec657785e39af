// @runlog/server public surface.
export type { Principal, Role } from './auth/roles.js';
export { ROLES } from './auth/roles.js';
export type { CreatedToken } from './auth/tokens.js';
export type { S3Options } from './blobs/s3BlobStore.js';
export type { DashboardFactory, DashboardHandler } from './http/dashboardMount.js';
export type { RateLimit } from './http/rateLimiter.js';
export type { ServerErrorCode } from './http/serverError.js';
export { ServerError } from './http/serverError.js';
export type { ServerOptions } from './serverOptions.js';
export type { RunningServer } from './startServer.js';
export { startServer } from './startServer.js';
export { createTokenOffline, type OfflineTokenOptions } from './tokenAdmin.js';
