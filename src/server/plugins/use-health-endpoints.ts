/**
 * `GET /health` (the process is alive: always 200 while it runs, also while draining, so an
 * orchestrator does not kill a replica that is finishing its requests) and `GET /ready` (may this
 * replica get traffic: src/monitoring/readiness.ts; 503 when not). Both answer JSON that says why.
 */
import type { Plugin } from 'graphql-yoga';
import type { Readiness } from '../../monitoring/readiness';

export interface HealthEndpointsOptions {
  checkReadiness: () => Promise<Readiness>;
  draining: () => boolean;
  /** @default '/health' */
  healthPath?: string;
  /** @default '/ready' */
  readyPath?: string;
}

function json(fetchAPI: { Response: typeof Response }, status: number, body: unknown): Response {
  return new fetchAPI.Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
}

export function useHealthEndpoints(options: HealthEndpointsOptions): Plugin {
  const { checkReadiness, draining, healthPath = '/health', readyPath = '/ready' } = options;
  const startedAt = performance.now();
  return {
    async onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname === healthPath) {
        const leaving = draining();
        const uptimeSeconds = Math.floor((performance.now() - startedAt) / 1000);
        endResponse(json(fetchAPI, 200, { alive: true, draining: leaving, reason: leaving ? 'alive, shutting down' : 'alive', uptimeSeconds }));
        return;
      }
      if (url.pathname !== readyPath) return;
      const readiness = await checkReadiness();
      endResponse(json(fetchAPI, readiness.ready ? 200 : 503, readiness));
    },
  };
}
