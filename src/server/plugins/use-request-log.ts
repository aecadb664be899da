/**
 * One structured line per HTTP request: method, path (no query: it may carry a secret), status and
 * duration. Durations use the monotonic clock, not the gateway's (which tests may freeze). Health
 * probes (`/health`, `/ready`) come every few seconds from every balancer: they log at debug.
 */
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../../monitoring/logger';

const PROBES = new Set(['/health', '/ready']);

export function useRequestLog(logger: Logger): Plugin {
  const started = new WeakMap<Request, number>();
  return {
    onRequest({ request }) {
      started.set(request, performance.now());
    },
    onResponse({ request, response }) {
      const at = started.get(request);
      const path = new URL(request.url).pathname;
      const line = { method: request.method, path, status: response.status, ms: at === undefined ? null : Math.round((performance.now() - at) * 10) / 10 };
      if (PROBES.has(path)) logger.debug(line, 'request');
      else logger.info(line, 'request');
    },
  };
}
