/**
 * Who is asking. Every GraphQL operation needs a bearer token: the bootstrap admin token from
 * `GATEWAY_ADMIN_TOKEN`, or one minted by `createApiToken` (stored hashed). A request without a
 * valid token is answered 401 before GraphQL sees it; the GraphiQL page itself is public (it only
 * sends the token the user types, or the one prefilled in demo mode).
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import { shouldRenderGraphiQL } from 'graphql-yoga';

export type Role = 'ADMIN' | 'CLIENT';

export interface Principal {
  role: Role;
  /** null for the bootstrap admin token. */
  tokenId: number | null;
  /** The one workspace a CLIENT token may see; null for admins. */
  workspaceId: number | null;
}

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

const principals = new WeakMap<Request, Principal>();

/** The principal the auth plugin attached to this request (set before the context is built). */
export function principalOf(request: Request): Principal | null {
  return principals.get(request) ?? null;
}

/** Yoga plugin: answers 401 on the GraphQL endpoint unless the request carries a valid token. */
export function useBearerAuth(options: { authenticate: Authenticate; graphqlEndpoint: string }): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== options.graphqlEndpoint) return;
      if (request.method === 'GET' && shouldRenderGraphiQL(request)) return;
      if (request.headers.get('upgrade')?.toLowerCase() === 'websocket') return; // graphql-ws authenticates in onConnect
      const principal = await options.authenticate(request.headers.get('authorization'));
      if (!principal) {
        endResponse(
          new fetchAPI.Response(
            JSON.stringify({ errors: [{ message: 'A valid bearer token is required', extensions: { code: 'UNAUTHENTICATED' } }] }),
            { status: 401, headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer' } },
          ),
        );
        return;
      }
      principals.set(request, principal);
    },
  };
}
