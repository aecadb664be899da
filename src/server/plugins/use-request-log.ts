/**
 * One structured line per HTTP request: method, path (no query: it may carry a secret), status and
 * duration. Durations use the monotonic clock, not the gateway's (which tests may freeze).
 */
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../../monitoring/logger';

export function useRequestLog(logger: Logger): Plugin {
  const started = new WeakMap<Request, number>();
  return {
    onRequest({ request }) {
      started.set(request, performance.now());
    },
    onResponse({ request, response }) {
      const at = started.get(request);
      logger.info(
        { method: request.method, path: new URL(request.url).pathname, status: response.status, ms: at === undefined ? null : Math.round((performance.now() - at) * 10) / 10 },
        'request',
      );
    },
  };
}
