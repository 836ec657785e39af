import { ServerError } from '../http/serverError.js';

export const ROLES = ['read', 'write', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who a request acts for: a token's grant (project null = every project). */
export interface Principal {
  tokenId: string;
  project: string | null;
  role: Role;
}

/** The principal of a server started with --no-auth (loopback only). */
export const LOOPBACK_ADMIN: Principal = { tokenId: 'no-auth', project: null, role: 'admin' };

const RANK: Record<Role, number> = { read: 0, write: 1, admin: 2 };

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** True when the principal may read `project` at all (used to hide projects it cannot see). */
export function canSee(principal: Principal, project: string): boolean {
  return principal.project === null || principal.project === project;
}

/**
 * Refuses unless the principal holds at least `role` on `project` (or on every project when `project` is null).
 * A token for another project gets 404, as if the project did not exist: it learns nothing about it.
 */
export function requireRole(principal: Principal, project: string | null, role: Role): void {
  if (project !== null && !canSee(principal, project)) {
    throw new ServerError(404, 'NOT_FOUND', `project ${JSON.stringify(project)} not found`);
  }
  if (project === null && principal.project !== null) {
    throw new ServerError(403, 'FORBIDDEN', `this needs a token for every project, not only ${principal.project}`);
  }
  if (RANK[principal.role] < RANK[role]) {
    throw new ServerError(403, 'FORBIDDEN', `this needs the ${role} role; the token has ${principal.role}`);
  }
}
