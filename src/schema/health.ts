/** `health` (the monitoring view's score and what lowered it) and `healthChanged`. */
import { health, healthStream, type HealthShape } from '../resolvers/health';
import type { BreakerSnapshot } from '../sources/upstream/breaker';
import { builder } from './builder';

const HealthStatus = builder.enumType('HealthStatus', { values: ['HEALTHY', 'DEGRADED', 'UNHEALTHY'] as const });
const BreakerStateEnum = builder.enumType('BreakerState', { values: ['CLOSED', 'OPEN', 'HALF_OPEN'] as const });

export const BreakerRef = builder.objectRef<BreakerSnapshot>('CircuitBreaker').implement({
  description: 'One circuit breaker per (workspace, endpoint)',
  fields: (t) => ({
    workspaceId: t.int({ nullable: true, resolve: (b) => b.workspaceId }),
    endpoint: t.exposeString('endpoint'),
    state: t.field({ type: BreakerStateEnum, resolve: (b) => b.state.toUpperCase() as 'CLOSED' | 'OPEN' | 'HALF_OPEN' }),
    failures: t.exposeInt('failures', { description: 'Counted failures (5xx, 429, timeouts) inside the rolling window' }),
    openedAt: t.field({ type: 'DateTime', nullable: true, resolve: (b) => b.openedAt }),
    nextProbeAt: t.field({ type: 'DateTime', nullable: true, resolve: (b) => b.nextProbeAt }),
  }),
});

export const HealthRef = builder.objectRef<HealthShape>('Health').implement({
  description: 'The gateway\'s health: the same score as the SQL view dashboard_health_summary',
  fields: (t) => ({
    score: t.int({ description: '0-100; formula in src/monitoring/README.md', resolve: (h) => Math.round(h.report.score) }),
    status: t.field({ type: HealthStatus, resolve: (h) => h.report.status.toUpperCase() as 'HEALTHY' | 'DEGRADED' | 'UNHEALTHY' }),
    issues: t.stringList({
      description: 'What lowered the score, in words (ADMIN only: it may name workspaces)',
      nullable: true,
      authScopes: { admin: true },
      resolve: (h) => h.report.issues,
    }),
    cacheEntries: t.int({ resolve: (h) => h.report.cache.total }),
    cacheFresh: t.int({ resolve: (h) => h.report.cache.fresh }),
    cacheStale: t.int({ resolve: (h) => h.report.cache.stale }),
    cacheError: t.int({ resolve: (h) => h.report.cache.error }),
    upstreamCallsLastHour: t.int({ resolve: (h) => h.report.upstream.calls }),
    upstreamFailuresLastHour: t.int({ resolve: (h) => h.report.upstream.failures }),
    upstreamFailureRate: t.float({ description: 'ratio, 1.0 = 100 %', resolve: (h) => h.report.upstream.failureRate }),
    upstreamAvgLatencyMs: t.float({ resolve: (h) => h.report.upstream.avgLatencyMs }),
    upstreamP95LatencyMs: t.float({ resolve: (h) => h.report.upstream.p95LatencyMs }),
    validationUnresolved: t.int({ resolve: (h) => h.report.validation.unresolved }),
    validationCritical: t.int({ resolve: (h) => h.report.validation.critical }),
    openBreakers: t.int({ resolve: (h) => h.report.runtime.openBreakers }),
    monitoringBacklog: t.int({ resolve: (h) => h.report.runtime.monitoringBacklog }),
    monitoringDroppedRows: t.int({ resolve: (h) => h.report.runtime.droppedRows }),
    breakers: t.field({
      type: [BreakerRef],
      description: 'Breakers that are not closed (ADMIN only)',
      nullable: true,
      authScopes: { admin: true },
      resolve: (h) => h.breakers.filter((b) => b.state !== 'closed'),
    }),
    computedAt: t.field({ type: 'DateTime', resolve: (h) => h.report.computedAt }),
  }),
});

builder.queryField('health', (t) => t.field({ type: HealthRef, resolve: (_root, _args, ctx) => health(ctx) }));

builder.subscriptionField('healthChanged', (t) =>
  t.field({
    type: HealthRef,
    subscribe: (_root, _args, ctx) => healthStream(ctx),
    resolve: (shape: HealthShape) => shape,
  }),
);
