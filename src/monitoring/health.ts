/**
 * The gateway's health as one typed object, read from the `dashboard_health_summary` view: the
 * `health` GraphQL field, /ready and the alert monitor all read this, so they always agree.
 * The score formula lives in SQL once (`health_summary(ws)`, sql/004_workspace_health.sql; the
 * view is that function over every workspace); `workspaceId` reads one workspace's health.
 */
import type { Db } from '../sources/db/types';

export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

export interface HealthReport {
  /** 0-100, see sql/002_monitoring.sql for the formula. */
  score: number;
  /** healthy >= 80, degraded >= 50, else unhealthy. */
  status: HealthStatus;
  /** What lowered the score, in words. */
  issues: string[];
  cache: { total: number; fresh: number; stale: number; error: number; updating: number };
  /** Upstream attempts in the last hour. */
  upstream: { calls: number; failures: number; failureRate: number; avgLatencyMs: number; p95LatencyMs: number };
  /** Unresolved validation findings (distinct rows, not occurrences). */
  validation: { unresolved: number; critical: number; error: number; warning: number; info: number };
  /** Summed over replicas that reported in the last 2 minutes. */
  runtime: { liveInstances: number; openBreakers: number; monitoringBacklog: number; droppedRows: number };
  computedAt: Date;
}

interface SummaryRow {
  cache_total: number;
  cache_fresh: number;
  cache_stale: number;
  cache_error: number;
  cache_updating: number;
  calls_last_hour: number;
  failures_last_hour: number;
  failure_rate: number;
  avg_latency_ms: number;
  p95_latency_ms: number;
  validation_unresolved: number;
  validation_critical: number;
  validation_error: number;
  validation_warning: number;
  validation_info: number;
  live_instances: number;
  open_breakers: number;
  monitoring_backlog: number;
  dropped_rows: number;
  health_score: number;
  status: HealthStatus;
  issues: string[];
  computed_at: Date | string;
}

export async function readHealth(db: Pick<Db, 'query'>, workspaceId: number | null = null): Promise<HealthReport> {
  const { rows } = workspaceId === null
    ? await db.query<SummaryRow>('SELECT * FROM dashboard_health_summary')
    : await db.query<SummaryRow>('SELECT * FROM health_summary($1)', [workspaceId]);
  const r = rows[0];
  if (!r) throw new Error('dashboard_health_summary returned no row: is migration 002_monitoring applied?');
  return {
    score: Number(r.health_score),
    status: r.status,
    issues: r.issues ?? [],
    cache: { total: r.cache_total, fresh: r.cache_fresh, stale: r.cache_stale, error: r.cache_error, updating: r.cache_updating },
    upstream: {
      calls: r.calls_last_hour,
      failures: r.failures_last_hour,
      failureRate: Number(r.failure_rate),
      avgLatencyMs: Number(r.avg_latency_ms),
      p95LatencyMs: Number(r.p95_latency_ms),
    },
    validation: {
      unresolved: r.validation_unresolved,
      critical: r.validation_critical,
      error: r.validation_error,
      warning: r.validation_warning,
      info: r.validation_info,
    },
    runtime: {
      liveInstances: r.live_instances,
      openBreakers: r.open_breakers,
      monitoringBacklog: r.monitoring_backlog,
      droppedRows: Number(r.dropped_rows),
    },
    computedAt: new Date(r.computed_at),
  };
}
