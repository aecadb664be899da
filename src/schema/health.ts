/** `health` (the monitoring view's score and what lowered it) and `healthChanged`. */
import { health, healthStream, type HealthShape } from '../resolvers/health';
import type { BreakerSnapshot } from '../sources/upstream/breaker';
import { builder } from './builder';
import { described } from './enums';

type Status = 'HEALTHY' | 'DEGRADED' | 'UNHEALTHY';
type Breaker = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

const HealthStatus = builder.enumType('HealthStatus', {
  description: 'The health score in one word',
  values: described<Status>({
    HEALTHY: 'score >= 80',
    DEGRADED: 'score 50 to 79',
    UNHEALTHY: 'score below 50',
  }),
});

const BreakerStateEnum = builder.enumType('BreakerState', {
  description: 'A circuit breaker\'s state',
  values: described<Breaker>({
    CLOSED: 'Calls go through',
    OPEN: 'Too many upstream failures in the rolling window: calls fail fast until nextProbeAt, the cache serves stale data meanwhile',
    HALF_OPEN: 'One probe call is let through; its outcome closes or reopens the breaker',
  }),
});

export const BreakerRef = builder.objectRef<BreakerSnapshot>('CircuitBreaker').implement({
  description: 'One circuit breaker per (workspace, Email Bison endpoint)',
  fields: (t) => ({
    workspaceId: t.int({ nullable: true, description: 'The workspace whose calls it guards; null for instance-wide calls', resolve: (b) => b.workspaceId }),
    endpoint: t.exposeString('endpoint', { description: 'Route template of the Email Bison endpoint, e.g. `/api/workspaces/v1.1/stats`' }),
    state: t.field({ type: BreakerStateEnum, description: 'CLOSED, OPEN or HALF_OPEN', resolve: (b) => b.state.toUpperCase() as Breaker }),
    failures: t.exposeInt('failures', { description: 'Counted failures (5xx, 429, timeouts, network errors) inside the rolling window' }),
    openedAt: t.field({ type: 'DateTime', nullable: true, description: 'When it last opened; null when it has not', resolve: (b) => b.openedAt }),
    nextProbeAt: t.field({ type: 'DateTime', nullable: true, description: 'When an open breaker lets a probe call through; null unless OPEN', resolve: (b) => b.nextProbeAt }),
  }),
});

const SCORE = 'from 100 subtract 5 per cache entry in error (at most 25), 15 x the stale share of cache entries, 40 x the upstream failure rate of the last hour, 1 per second of p95 upstream latency above 5 s (at most 15), 10 per open circuit breaker (at most 30), 15 per unresolved critical validation finding (at most 30) and 3 per unresolved error-level one (at most 15), and 10 when the replicas hold 1000 or more monitoring rows not yet written; then clamp to 0-100 and round';

export const HealthRef = builder.objectRef<HealthShape>('Health').implement({
  description: 'The gateway\'s health: the same score as the SQL view dashboard_health_summary. For a CLIENT token, the same score over its own workspace only',
  fields: (t) => ({
    score: t.int({ description: `0-100: ${SCORE}`, resolve: (h) => Math.round(h.report.score) }),
    status: t.field({ type: HealthStatus, description: 'HEALTHY (score >= 80), DEGRADED (>= 50) or UNHEALTHY', resolve: (h) => h.report.status.toUpperCase() as Status }),
    issues: t.stringList({
      description: 'What lowered the score, one line per penalty, in words (ADMIN tokens only: it may name workspaces; null with FORBIDDEN otherwise)',
      nullable: true,
      authScopes: { admin: true },
      resolve: (h) => h.report.issues,
    }),
    cacheEntries: t.int({ description: 'Cache entries (one per resource and workspace)', resolve: (h) => h.report.cache.total }),
    cacheFresh: t.int({ description: 'Cache entries within their TTL', resolve: (h) => h.report.cache.fresh }),
    cacheStale: t.int({ description: 'Cache entries older than their TTL, or whose last refresh failed', resolve: (h) => h.report.cache.stale }),
    cacheError: t.int({ description: 'Cache entries with nothing usable', resolve: (h) => h.report.cache.error }),
    upstreamCallsLastHour: t.int({ description: 'Email Bison call attempts in the last hour (retries count)', resolve: (h) => h.report.upstream.calls }),
    upstreamFailuresLastHour: t.int({ description: 'Of those, the attempts that failed', resolve: (h) => h.report.upstream.failures }),
    upstreamFailureRate: t.float({ description: 'upstreamFailuresLastHour / upstreamCallsLastHour (ratio, 1.0 = 100 %; 0 without calls)', resolve: (h) => h.report.upstream.failureRate }),
    upstreamAvgLatencyMs: t.float({ description: 'Mean latency of the last hour\'s attempts, in milliseconds', resolve: (h) => h.report.upstream.avgLatencyMs }),
    upstreamP95LatencyMs: t.float({ description: '95th percentile latency of the last hour\'s attempts, in milliseconds', resolve: (h) => h.report.upstream.p95LatencyMs }),
    validationUnresolved: t.int({ description: 'Unresolved validation findings (distinct findings, not occurrences)', resolve: (h) => h.report.validation.unresolved }),
    validationCritical: t.int({ description: 'Of those, the ones of severity critical', resolve: (h) => h.report.validation.critical }),
    openBreakers: t.int({ description: 'Circuit breakers not closed, on the replicas that reported in the last 2 minutes', resolve: (h) => h.report.runtime.openBreakers }),
    monitoringBacklog: t.int({ description: 'Monitoring rows the replicas hold, not yet written to Postgres', resolve: (h) => h.report.runtime.monitoringBacklog }),
    monitoringDroppedRows: t.int({ description: 'Monitoring rows dropped since start (buffer full while the database was down, or refused as data)', resolve: (h) => h.report.runtime.droppedRows }),
    breakers: t.field({
      type: [BreakerRef],
      description: 'Breakers of this replica that are not closed (ADMIN tokens only; null with FORBIDDEN otherwise)',
      nullable: true,
      authScopes: { admin: true },
      resolve: (h) => h.breakers.filter((b) => b.state !== 'closed'),
    }),
    computedAt: t.field({ type: 'DateTime', description: 'When this reading was taken', resolve: (h) => h.report.computedAt }),
  }),
});

builder.queryField('health', (t) => t.field({
  type: HealthRef,
  description: 'The gateway\'s health score and what lowered it. Any token; a CLIENT token gets the score over its own workspace, without issues or breakers',
  resolve: (_root, _args, ctx) => health(ctx),
}));

builder.subscriptionField('healthChanged', (t) =>
  t.field({
    type: HealthRef,
    description: 'The health now, then a new reading whenever the score or status changes (checked every 15 s). Scoped like `health`',
    subscribe: (_root, _args, ctx) => healthStream(ctx),
    resolve: (shape: HealthShape) => shape,
  }),
);
