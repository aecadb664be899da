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

export function createMetrics({ defaultMetrics = false, prefix = 'bison_' }: MetricsOptions = {}): GatewayMetrics {
  const registry = new Registry();
  if (defaultMetrics) collectDefaultMetrics({ register: registry, prefix });
  let readQueueDepth: () => number = () => 0;
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
