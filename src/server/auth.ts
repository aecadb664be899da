/**
 * Who is asking: a bearer header resolved to a Principal. The bootstrap admin token comes from
 * `GATEWAY_ADMIN_TOKEN`; every other token was minted by `issueApiToken` (or `createApiToken`) and is stored hashed.
 * The HTTP side (401 before GraphQL) is plugins/use-bearer-auth.ts; graphql-ws uses the same
 * authenticator in ws.ts.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { Principal, Role } from '../access';

export interface TokenVerifier {
  verify(token: string): Promise<{ id: number; role: Role; workspaceId: number | null } | null>;
}

export type Authenticate = (authorization: string | null | undefined) => Promise<Principal | null>;

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Resolves a bearer header to a principal, or null. Compares the admin token in constant time. */
export function createAuthenticator(adminToken: string | null, tokens: TokenVerifier): Authenticate {
  const adminDigest = adminToken ? digest(adminToken) : null;
  return async function authenticate(authorization) {
    const match = /^Bearer\s+(\S{1,512})\s*$/i.exec(authorization ?? '');
    if (!match) return null;
    const token = match[1];
    if (adminDigest && timingSafeEqual(digest(token), adminDigest)) {
      return { role: 'ADMIN', tokenId: null, workspaceId: null };
    }
    const found = await tokens.verify(token);
    return found ? { role: found.role, tokenId: found.id, workspaceId: found.workspaceId } : null;
  };
}
