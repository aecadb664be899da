/**
 * Every GraphQL operation needs a valid bearer token: without one the request is answered 401
 * before GraphQL sees it. The GraphiQL page itself is public (it only sends the token the user
 * types, or the one prefilled in demo mode); graphql-ws authenticates in its own onConnect.
 */
import type { Plugin } from 'graphql-yoga';
import { shouldRenderGraphiQL } from 'graphql-yoga';
import type { Principal } from '../../access';
import type { Authenticate } from '../auth';

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
