/**
 * One structured line per HTTP request: method, path (no query: it may carry a secret), status,
 * duration and, when tracing is on, the trace id. Durations use the monotonic clock, not the
 * gateway's (which tests may freeze), and start when the request arrives: the instrumentation
 * wraps every plugin, including those that answer before ours run (health check, GraphiQL).
 */
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../../monitoring/logger';
import { traceIdOf } from './use-tracing';

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
      logger.info(
        {
          method: request.method, path: new URL(request.url).pathname, status: response.status,
          ms: at === undefined ? null : Math.round((performance.now() - at) * 10) / 10,
          ...(traceId ? { traceId } : {}),
        },
        'request',
      );
    },
  };
}
