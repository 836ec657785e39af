import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../db/database.js';
import { ServerError } from '../http/serverError.js';
import type { Principal, Role } from './roles.js';

/** `rlt_<id>_<secret>`: the id finds the row, the secret (256 random bits) is checked against its stored hash. */
const TOKEN_SHAPE = /^rlt_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface CreatedToken {
  id: string;
  /** The token itself: shown once, stored only as a hash. */
  token: string;
  project: string | null;
  role: Role;
}

function secretHash(secret: string): Buffer {
  // The secret is 256 random bits, so one sha256 is enough: there is nothing to brute-force from the hash.
  return createHash('sha256').update(secret).digest();
}

/** Creates a token with this grant; the returned `token` is the only copy of the secret. */
export async function createToken(
  db: Queryable,
  grant: { project: string | null; role: Role; label?: string },
): Promise<CreatedToken> {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  await db.query('INSERT INTO tokens (id, secret_sha256, project, role, label) VALUES ($1, $2, $3, $4, $5)', [
    id,
    secretHash(secret),
    grant.project,
    grant.role,
    grant.label ?? '',
  ]);
  return { id, token: `rlt_${id}_${secret}`, project: grant.project, role: grant.role };
}

export async function revokeToken(db: Queryable, id: string): Promise<boolean> {
  const result = await db.query('UPDATE tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [id]);
  return (result.rowCount ?? 0) > 0;
}

interface TokenRow {
  secret_sha256: Buffer;
  project: string | null;
  role: Role;
}

const DECOY = secretHash('decoy');

/**
 * Checks bearer tokens. A token's row is cached for `cacheMs` (default 5 s), so a revocation reaches every
 * replica within that time. The secret is compared in constant time, also when the id is unknown.
 */
export class TokenVerifier {
  private readonly cache = new Map<string, { row: TokenRow | undefined; at: number }>();

  constructor(
    private readonly db: Queryable,
    private readonly cacheMs = 5000,
  ) {}

  async verify(authorization: string | undefined): Promise<Principal> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) throw new ServerError(401, 'UNAUTHENTICATED', 'send Authorization: Bearer <token>');
    const parts = TOKEN_SHAPE.exec(match[1]);
    const row = parts ? await this.lookup(parts[1]) : undefined;
    const given = secretHash(parts?.[2] ?? match[1]);
    const valid = timingSafeEqual(given, row?.secret_sha256 ?? DECOY) && row !== undefined;
    if (!valid || !parts) throw new ServerError(401, 'UNAUTHENTICATED', 'the token is not valid (or was revoked)');
    return { tokenId: parts[1], project: row.project, role: row.role };
  }

  private async lookup(id: string): Promise<TokenRow | undefined> {
    const cached = this.cache.get(id);
    if (cached && Date.now() - cached.at < this.cacheMs) return cached.row;
    const { rows } = await this.db.query<TokenRow>(
      'SELECT secret_sha256, project, role FROM tokens WHERE id = $1 AND revoked_at IS NULL',
      [id],
    );
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(id, { row: rows[0], at: Date.now() });
    return rows[0];
  }
}
