/** Shared builders for the monitoring tests: observations, a database that can go down, cleanup. */
import type { Db } from '../../src/sources/db/types';
import type { CacheStateChange, UpstreamAttempt, ValidationIssue } from '../../src/monitoring/events';

export function attempt(overrides: Partial<UpstreamAttempt> = {}): UpstreamAttempt {
  return {
    api: 'email_bison',
    endpoint: '/api/workspaces/v1.1/stats',
    method: 'GET',
    workspaceId: 7,
    statusCode: 200,
    latencyMs: 120,
    success: true,
    errorType: null,
    attempt: 1,
    triggeredBy: 'request',
    at: Date.now(),
    ...overrides,
  };
}

export function failedAttempt(overrides: Partial<UpstreamAttempt> = {}): UpstreamAttempt {
  return attempt({ statusCode: 503, success: false, errorType: 'http_5xx', ...overrides });
}

export function cacheChange(overrides: Partial<CacheStateChange> = {}): CacheStateChange {
  return {
    key: 'stats:7:2026-11-01:2026-11-29',
    workspaceId: 7,
    resource: 'stats',
    status: 'fresh',
    lastUpdated: Date.now(),
    fetchDurationMs: 80,
    recordCount: 1,
    sizeBytes: 512,
    errorMessage: null,
    version: 1,
    ...overrides,
  };
}

export function issue(overrides: Partial<ValidationIssue> = {}): ValidationIssue {
  return {
    source: '/api/sender-emails',
    workspaceId: 7,
    errorType: 'schema',
    field: 'data[3].emails_sent_count',
    expected: 'number',
    actual: 'string',
    message: 'emails_sent_count: expected number, received string',
    details: { path: ['data', 3, 'emails_sent_count'] },
    severity: 'error',
    ...overrides,
  };
}

export async function clearMonitoring(db: Pick<Db, 'exec'>): Promise<void> {
  await db.exec('TRUNCATE api_health_logs, data_cache_metadata, data_validation_errors, gateway_runtime_state, alert_incidents, alert_leases');
}

/** Wraps a Db: while `down`, every query rejects like a lost connection. Counts the calls. */
export function flakyDb(inner: Db) {
  const state = { down: false, calls: 0, inFlight: 0, maxInFlight: 0 };
  const db: Pick<Db, 'query'> = {
    async query<Row>(sql: string, params?: unknown[]) {
      state.calls++;
      if (state.down) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
      state.inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      try {
        return await inner.query<Row>(sql, params);
      } finally {
        state.inFlight--;
      }
    },
  };
  return { db, state };
}
