/**
 * Every GraphQL operation needs a valid bearer token: without one the request is answered 401
 * before GraphQL sees it. An address that keeps failing is answered 429 before its token is even
 * looked at (../auth-failures.ts). The GraphiQL page itself is public (it only sends the token the
 * user types, or the one prefilled in demo mode); graphql-ws authenticates in its own onConnect.
 */
import type { Plugin } from 'graphql-yoga';
import { shouldRenderGraphiQL } from 'graphql-yoga';
import type { Principal } from '../../access';
import { AuthUnavailableError, type Authenticate } from '../auth';
import { clientAddress, type AuthFailureLimiter } from '../auth-failures';

const principals = new WeakMap<Request, Principal>();

/** The principal the auth plugin attached to this request (set before the context is built). */
export function principalOf(request: Request): Principal | null {
  return principals.get(request) ?? null;
}

export interface BearerAuthOptions {
  authenticate: Authenticate;
  graphqlEndpoint: string;
  /** Failed attempts per client address; none = unlimited. */
  failures?: AuthFailureLimiter;
  /** See ../auth-failures.ts. @default 0 */
  trustProxyHops?: number;
  /**
   * The principal a step in front of Yoga already verified for this request (the response cache's
   * front door, ../response-cache.ts), so a token is not looked up twice.
   */
  verified?: (serverContext: unknown) => Principal | undefined;
}

function errorResponse(fetchAPI: { Response: typeof Response }, status: number, message: string, code: string, headers: Record<string, string>): Response {
  return new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** Yoga plugin: answers 401 on the GraphQL endpoint unless the request carries a valid token. */
export function useBearerAuth(options: BearerAuthOptions): Plugin {
  const { failures, trustProxyHops = 0 } = options;
  return {
    async onRequest({ request, url, endResponse, fetchAPI, serverContext }) {
      if (url.pathname !== options.graphqlEndpoint) return;
      if (request.method === 'GET' && shouldRenderGraphiQL(request)) return;
      if (request.headers.get('upgrade')?.toLowerCase() === 'websocket') return; // graphql-ws authenticates in onConnect
      const address = clientAddress(serverContext, request.headers, trustProxyHops);
      const wait = failures?.retryAfterSeconds(address) ?? 0;
      if (wait > 0) {
        const message = `Too many failed authentication attempts from this address; retry in ${wait} s`;
        return endResponse(errorResponse(fetchAPI, 429, message, 'RATE_LIMITED', { 'retry-after': String(wait) }));
      }
      let principal: Principal | null = options.verified?.(serverContext) ?? null;
      try {
        principal ??= await options.authenticate(request.headers.get('authorization'));
      } catch (err) {
        if (!(err instanceof AuthUnavailableError)) throw err;
        return endResponse(errorResponse(fetchAPI, 503, err.message, 'AUTH_UNAVAILABLE', { 'retry-after': '5' }));
      }
      if (!principal) {
        failures?.failed(address);
        return endResponse(errorResponse(fetchAPI, 401, 'A valid bearer token is required', 'UNAUTHENTICATED', { 'www-authenticate': 'Bearer' }));
      }
      principals.set(request, principal);
    },
  };
}
