/**
 * One structured line per HTTP request: method, path (no query: it may carry a secret), status,
 * duration and, when tracing is on, the trace id. Durations use the monotonic clock, not the
 * gateway's (which tests may freeze), and start when the request arrives: the instrumentation
 * wraps every plugin, including those that answer before ours run (health check, GraphiQL).
 * Health probes (`/health`, `/ready`) come every few seconds from every balancer: they log at debug.
 */
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../../monitoring/logger';
import { traceIdOf } from './use-tracing';

const PROBES = new Set(['/health', '/ready']);

export function useRequestLog(logger: Logger): Plugin {
  const started = new WeakMap<Request, number>();
  return {
    instrumentation: {
      request({ request }, wrapped) {
        started.set(request, performance.now());
        return wrapped();
      },
    },
    onResponse({ request, response }) {
      const at = started.get(request);
      const traceId = traceIdOf(request);
      const path = new URL(request.url).pathname;
      const line = {
        method: request.method, path, status: response.status,
        ms: at === undefined ? null : Math.round((performance.now() - at) * 10) / 10,
        ...(traceId ? { traceId } : {}),
      };
      if (PROBES.has(path)) logger.debug(line, 'request');
      else logger.info(line, 'request');
    },
  };
}
