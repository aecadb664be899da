/**
 * Prometheus metrics of one gateway, in their own Registry (not prom-client's global one) so tests
 * and several gateways in one process never clash. Labels are bounded sets: route templates,
 * outcomes, resource kinds, breaker states; never a workspace id or a raw URL.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CacheReadOutcome, SourceObserver } from './events';

export interface GatewayMetrics {
  registry: Registry;
  upstreamCalls: Counter<'endpoint' | 'outcome'>;
  upstreamLatency: Histogram<'endpoint'>;
  cacheReads: Counter<'resource' | 'outcome'>;
  breakers: Gauge<'state'>;
  monitoringRowsWritten: Counter<string>;
  monitoringRowsDropped: Counter<string>;
  /** Requests by route (known paths, else `other`), method, status and outcome (ok, rejected = 4xx, error = 5xx). */
  httpRequests: Counter<'route' | 'method' | 'status' | 'outcome'>;
  httpDuration: Histogram<'route' | 'method' | 'outcome'>;
  /** GraphQL operations by name (bounded: src/server/plugins/use-request-metrics.ts), type and outcome (ok, error, rejected). */
  graphqlOperations: Counter<'operation' | 'type' | 'outcome'>;
  graphqlDuration: Histogram<'operation' | 'type' | 'outcome'>;
  /**
   * The response cache in front of execution (src/server/response-cache.ts): `hit` answered from it
   * (200 or 304), `miss` looked up and executed, `bypass` a request it does not serve (not a JSON POST
   * query, a refusal, the cache off).
   */
  responseCacheRequests: Counter<'outcome'>;
  /** Answers the response cache holds, read at scrape time. */
  setResponseCacheSizeSource(read: () => number): void;
  /** The scheduler reports its queue depth through a callback read at scrape time. */
  setQueueDepthSource(read: () => number): void;
  /** Prometheus text exposition, for GET /metrics. */
  text(): Promise<string>;
}

export interface MetricsOptions {
  /** Also export process metrics (CPU, memory, event loop lag). @default false */
  defaultMetrics?: boolean;
  /** @default 'bison_' */
  prefix?: string;
}

/** Warm answers take milliseconds, cold ones seconds (the upstream's latency), a deadline caps them. */
const REQUEST_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function createMetrics({ defaultMetrics = false, prefix = 'bison_' }: MetricsOptions = {}): GatewayMetrics {
  const registry = new Registry();
  if (defaultMetrics) collectDefaultMetrics({ register: registry, prefix });
  let readQueueDepth: () => number = () => 0;
  let readResponseCacheSize: () => number = () => 0;
  const registers = [registry];

  const metrics: GatewayMetrics = {
    registry,
    upstreamCalls: new Counter({
      name: `${prefix}upstream_calls_total`,
      help: 'Upstream HTTP attempts by route template and outcome (success or the error type)',
      labelNames: ['endpoint', 'outcome'],
      registers,
    }),
    upstreamLatency: new Histogram({
      name: `${prefix}upstream_latency_seconds`,
      help: 'Upstream attempt latency by route template',
      labelNames: ['endpoint'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 45],
      registers,
    }),
    cacheReads: new Counter({
      name: `${prefix}cache_reads_total`,
      help: 'Cache reads by resource kind and how they were answered',
      labelNames: ['resource', 'outcome'],
      registers,
    }),
    breakers: new Gauge({
      name: `${prefix}circuit_breakers`,
      help: 'Circuit breakers by state (workspace x endpoint breakers, counted)',
      labelNames: ['state'],
      registers,
    }),
    monitoringRowsWritten: new Counter({
      name: `${prefix}monitoring_rows_written_total`,
      help: 'Monitoring rows written to the database',
      registers,
    }),
    monitoringRowsDropped: new Counter({
      name: `${prefix}monitoring_rows_dropped_total`,
      help: 'Monitoring rows dropped because the buffer was full while the database was slow or down',
      registers,
    }),
    httpRequests: new Counter({
      name: `${prefix}http_requests_total`,
      help: 'HTTP requests by route, method, status and outcome (ok, rejected: 4xx, error: 5xx)',
      labelNames: ['route', 'method', 'status', 'outcome'],
      registers,
    }),
    httpDuration: new Histogram({
      name: `${prefix}http_request_duration_seconds`,
      help: 'Time from a request arriving to its response starting, by route, method and outcome',
      labelNames: ['route', 'method', 'outcome'],
      buckets: REQUEST_BUCKETS,
      registers,
    }),
    graphqlOperations: new Counter({
      name: `${prefix}graphql_operations_total`,
      help: 'GraphQL operations by operation name, type and outcome (ok; error: executed with errors; rejected: refused before execution)',
      labelNames: ['operation', 'type', 'outcome'],
      registers,
    }),
    graphqlDuration: new Histogram({
      name: `${prefix}graphql_operation_duration_seconds`,
      help: 'GraphQL operation latency (parameters to first result) by operation name, type and outcome',
      labelNames: ['operation', 'type', 'outcome'],
      buckets: REQUEST_BUCKETS,
      registers,
    }),
    responseCacheRequests: new Counter({
      name: `${prefix}response_cache_requests_total`,
      help: 'GraphQL requests by what the response cache did: hit (answered from it, 200 or 304), miss (executed), bypass (not served by it)',
      labelNames: ['outcome'],
      registers,
    }),
    setResponseCacheSizeSource(read) {
      readResponseCacheSize = read;
    },
    setQueueDepthSource(read) {
      readQueueDepth = read;
    },
    text: () => registry.metrics(),
  };
  new Gauge({
    name: `${prefix}scheduler_queue_depth`,
    help: 'Upstream calls waiting for a pool slot',
    registers,
    collect() {
      this.set(safeRead(readQueueDepth));
    },
  });
  new Gauge({
    name: `${prefix}response_cache_entries`,
    help: 'Answers the response cache holds',
    registers,
    collect() {
      this.set(safeRead(readResponseCacheSize));
    },
  });
  for (const outcome of ['hit', 'miss', 'bypass']) metrics.responseCacheRequests.inc({ outcome }, 0);
  for (const state of ['closed', 'open', 'half_open']) metrics.breakers.set({ state }, 0);
  return metrics;
}

function safeRead(read: () => number): number {
  try {
    const n = read();
    return Number.isFinite(n) ? n : 0;
  } catch {
    return 0;
  }
}

/** Route templates are a bounded set; guard anyway against an id slipping into a path. */
export function endpointLabel(endpoint: string): string {
  return endpoint.split('?')[0].replace(/\/\d+(?=\/|$)/g, '/:id');
}

/** A SourceObserver that keeps the metrics of `metrics` up to date. */
export function metricsObserver(metrics: GatewayMetrics): SourceObserver {
  const breakerStates = new Map<string, 'closed' | 'open' | 'half_open'>();
  const countBreakers = () => {
    const counts = { closed: 0, open: 0, half_open: 0 };
    for (const s of breakerStates.values()) counts[s]++;
    for (const [state, n] of Object.entries(counts)) metrics.breakers.set({ state }, n);
  };
  return {
    attempt(a) {
      const endpoint = endpointLabel(a.endpoint);
      metrics.upstreamCalls.inc({ endpoint, outcome: a.success ? 'success' : (a.errorType ?? 'error') });
      metrics.upstreamLatency.observe({ endpoint }, a.latencyMs / 1000);
    },
    cacheState() {},
    validation() {},
    cacheRead(resource: string, outcome: CacheReadOutcome) {
      metrics.cacheReads.inc({ resource, outcome });
    },
    breaker(b) {
      breakerStates.set(`${b.workspaceId ?? '-'}:${endpointLabel(b.endpoint)}`, b.state);
      countBreakers();
    },
  };
}
