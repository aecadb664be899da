/**
 * `GET /`: a browser is sent to GraphiQL; anything else (curl, a probe) gets a few lines saying
 * where things are. Public like GraphiQL itself: it names paths, nothing more.
 */
import type { Plugin } from 'graphql-yoga';

export interface LandingPageOptions {
  /** @default '/graphql' */
  graphqlEndpoint?: string;
  /** The other paths worth knowing, in order. @default ['/health', '/ready', '/metrics'] */
  paths?: string[];
}

export function useLandingPage({ graphqlEndpoint = '/graphql', paths = ['/health', '/ready', '/metrics'] }: LandingPageOptions = {}): Plugin {
  const text = [
    'bison-gateway: a GraphQL gateway in front of Email Bison.',
    `GraphQL:  ${graphqlEndpoint}  (GraphiQL in a browser; POST with "Authorization: Bearer <token>"; subscriptions over SSE and graphql-ws on the same path)`,
    `Probes:   ${paths.join('  ')}`,
    '',
  ].join('\n');
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== '/' || (request.method !== 'GET' && request.method !== 'HEAD')) return;
      if (request.headers.get('accept')?.includes('text/html')) {
        endResponse(new fetchAPI.Response(null, { status: 302, headers: { location: graphqlEndpoint } }));
        return;
      }
      endResponse(new fetchAPI.Response(request.method === 'HEAD' ? null : text, { headers: { 'content-type': 'text/plain; charset=utf-8' } }));
    },
  };
}
