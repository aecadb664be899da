/**
 * Who is asking: a bearer header resolved to a Principal. The bootstrap admin token comes from
 * `GATEWAY_ADMIN_TOKEN`; every other token was minted by `issueApiToken` (or `createApiToken`) and is stored hashed.
 * The HTTP side (401 before GraphQL) is plugins/use-bearer-auth.ts; graphql-ws uses the same
 * authenticator in ws.ts.
 *
 * While the database does not answer, a token this process verified before still works (the
 * identity it had then): a Postgres outage must not lock every client out of data the replica can
 * serve. A token never seen cannot be checked then: AuthUnavailableError (503), not a 401.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { Principal, Role } from '../access';

export interface TokenVerifier {
  verify(token: string): Promise<{ id: number; role: Role; workspaceId: number | null } | null>;
}

export type Authenticate = (authorization: string | null | undefined) => Promise<Principal | null>;

/** The token store could not be asked (database down) and the token was not verified here before. */
export class AuthUnavailableError extends Error {
  constructor() {
    super('Tokens cannot be checked right now (the database is unreachable); retry shortly');
    this.name = 'AuthUnavailableError';
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Resolves a bearer header to a principal, or null. Compares the admin token in constant time. */
export function createAuthenticator(adminToken: string | null, tokens: TokenVerifier): Authenticate {
  const adminDigest = adminToken ? digest(adminToken) : null;
  // Only tokens that verified: an attacker's guesses never land here, so it stays as small as the token table.
  const verified = new Map<string, Principal>();
  return async function authenticate(authorization) {
    const match = /^Bearer\s+(\S{1,512})\s*$/i.exec(authorization ?? '');
    if (!match) return null;
    const token = match[1];
    if (adminDigest && timingSafeEqual(digest(token), adminDigest)) {
      return { role: 'ADMIN', tokenId: null, workspaceId: null };
    }
    const key = digest(token).toString('base64');
    let found;
    try {
      found = await tokens.verify(token);
    } catch {
      const known = verified.get(key);
      if (known === undefined) throw new AuthUnavailableError();
      return known;
    }
    const principal: Principal | null = found ? { role: found.role, tokenId: found.id, workspaceId: found.workspaceId } : null;
    if (principal) verified.set(key, principal);
    else verified.delete(key); // revoked since: forget it
    return principal;
  };
}
