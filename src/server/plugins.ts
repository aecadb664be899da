/** Small Yoga plugins, one concern each: /metrics, one log line per request, freshness in extensions. */
import type { Plugin } from 'graphql-yoga';
import type { Clock } from '../clock';
import type { GatewayMetrics } from '../monitoring/metrics';
import type { Logger } from '../monitoring/logger';
import type { GatewayContext, RequestData } from '../schema/context';
import { freshnessOf } from '../sources/freshness';
import type { EntryMeta } from '../sources/cache/types';

/** `GET /metrics`: Prometheus text exposition. */
export function useMetricsEndpoint(metrics: GatewayMetrics, endpoint = '/metrics'): Plugin {
  return {
    async onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== endpoint) return;
      endResponse(new fetchAPI.Response(await metrics.text(), { headers: { 'content-type': 'text/plain; version=0.0.4' } }));
    },
  };
}

/**
 * One structured line per HTTP request: method, path (no query: it may carry a secret), status and
 * duration. Durations use the monotonic clock, not the gateway's (which tests may freeze).
 */
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

/** Wraps a request's data access so every read's freshness is remembered for the response. */
export function trackReads(data: Omit<RequestData, 'reads'>): RequestData {
  const reads: EntryMeta[] = [];
  return {
    reads,
    clients: data.clients,
    read(resource, ttlMs) {
      return data.read(resource, ttlMs).then((result) => {
        reads.push(result.meta);
        return result;
      });
    },
  };
}

/** Adds `extensions.freshness` (the oldest, worst part of everything the operation read). */
export function useFreshnessExtension(clock: Clock): Plugin<GatewayContext> {
  return {
    onExecute({ args }) {
      return {
        onExecuteDone({ result, setResult }) {
          const reads = (args.contextValue as GatewayContext).data?.reads;
          if (!reads?.length || Symbol.asyncIterator in result) return;
          const f = freshnessOf(reads, clock.now());
          setResult({
            ...result,
            extensions: {
              ...result.extensions,
              freshness: {
                state: f.state,
                origin: f.origin,
                fetchedAt: f.fetchedAt === null ? null : new Date(f.fetchedAt).toISOString(),
                ageSeconds: f.ageSeconds,
                refreshing: f.refreshing,
                message: f.message,
              },
            },
          });
        },
      };
    },
  };
}
