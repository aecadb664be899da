/**
 * The recorder's SQL: each batch is sent as ONE jsonb parameter unpacked by jsonb_to_recordset, so a
 * batch of any size is one statement with one parameter on both PGlite and Postgres.
 */
import type { Db } from '../sources/db/types';
import type { CacheStateChange, UpstreamAttempt, ValidationIssue } from './events';

/** A validation finding seen `count` times since the last write. */
export interface PendingIssue {
  issue: ValidationIssue;
  count: number;
  firstSeen: number;
  lastSeen: number;
}

/** A cache state change and when it was observed. */
export interface PendingCacheState {
  change: CacheStateChange;
  at: number;
}

export interface RuntimeState {
  instanceId: string;
  openBreakerKeys: string[];
  backlog: number;
  dropped: number;
}

/** Same identity as the `fingerprint` column of data_validation_errors (coalesced like there). */
export function issueKey(v: ValidationIssue): string {
  return JSON.stringify([v.source, v.workspaceId ?? '', v.errorType, v.field ?? '']);
}

const ts = (column: string) => `CASE WHEN r.${column} IS NULL THEN NULL ELSE to_timestamp(r.${column} / 1000.0) END`;

const INSERT_ATTEMPTS = `
INSERT INTO api_health_logs (created_at, api, endpoint, method, status_code, latency_ms, success, error_type,
                             workspace_id, attempt_number, triggered_by)
SELECT to_timestamp(r.at / 1000.0), r.api, r.endpoint, r.method, r.status_code, greatest(0, round(r.latency_ms))::int,
       r.success, r.error_type, r.workspace_id, greatest(1, r.attempt), r.triggered_by
FROM jsonb_to_recordset($1::jsonb) AS r(at float8, api text, endpoint text, method text, status_code int,
     latency_ms float8, success boolean, error_type text, workspace_id int, attempt int, triggered_by text)`;

export async function insertAttempts(db: Pick<Db, 'query'>, attempts: UpstreamAttempt[]): Promise<void> {
  const rows = attempts.map((a) => ({
    at: a.at, api: a.api, endpoint: a.endpoint, method: a.method, status_code: a.statusCode, latency_ms: a.latencyMs,
    success: a.success, error_type: a.errorType, workspace_id: a.workspaceId, attempt: a.attempt, triggered_by: a.triggeredBy,
  }));
  await db.query(INSERT_ATTEMPTS, [JSON.stringify(rows)]);
}

// A delayed flush (or another replica's older news) never overwrites a newer state; a state
// without figures (e.g. `updating`) keeps the figures of the last fetch.
const UPSERT_CACHE_STATES = `
INSERT INTO data_cache_metadata (cache_key, resource, workspace_id, last_updated, fetch_duration_ms, record_count,
                                 size_bytes, status, error_message, version, updated_at)
SELECT r.cache_key, r.resource, r.workspace_id, ${ts('last_updated')}, round(r.fetch_duration_ms)::int, r.record_count,
       r.size_bytes, r.status, r.error_message, r.version, to_timestamp(r.at / 1000.0)
FROM jsonb_to_recordset($1::jsonb) AS r(cache_key text, resource text, workspace_id int, last_updated float8,
     fetch_duration_ms float8, record_count int, size_bytes bigint, status text, error_message text, version int, at float8)
ON CONFLICT (cache_key) DO UPDATE SET
  resource = EXCLUDED.resource,
  workspace_id = EXCLUDED.workspace_id,
  last_updated = coalesce(EXCLUDED.last_updated, data_cache_metadata.last_updated),
  fetch_duration_ms = coalesce(EXCLUDED.fetch_duration_ms, data_cache_metadata.fetch_duration_ms),
  record_count = coalesce(EXCLUDED.record_count, data_cache_metadata.record_count),
  size_bytes = coalesce(EXCLUDED.size_bytes, data_cache_metadata.size_bytes),
  status = EXCLUDED.status,
  error_message = EXCLUDED.error_message,
  version = EXCLUDED.version,
  updated_at = EXCLUDED.updated_at
WHERE data_cache_metadata.updated_at <= EXCLUDED.updated_at`;

export async function upsertCacheStates(db: Pick<Db, 'query'>, states: PendingCacheState[]): Promise<void> {
  const rows = states.map(({ change: c, at }) => ({
    cache_key: c.key, resource: c.resource, workspace_id: c.workspaceId, last_updated: c.lastUpdated,
    fetch_duration_ms: c.fetchDurationMs, record_count: c.recordCount, size_bytes: c.sizeBytes, status: c.status,
    error_message: c.errorMessage, version: c.version, at,
  }));
  await db.query(UPSERT_CACHE_STATES, [JSON.stringify(rows)]);
}

const UPSERT_ISSUES = `
INSERT INTO data_validation_errors (source, workspace_id, error_type, field, expected, actual, message, details,
                                    severity, occurrences, first_seen, last_seen)
SELECT r.source, r.workspace_id, r.error_type, r.field, r.expected, r.actual, r.message, r.details, r.severity,
       r.occurrences, to_timestamp(r.first_seen / 1000.0), to_timestamp(r.last_seen / 1000.0)
FROM jsonb_to_recordset($1::jsonb) AS r(source text, workspace_id int, error_type text, field text, expected text,
     actual text, message text, details jsonb, severity text, occurrences int, first_seen float8, last_seen float8)
ON CONFLICT (fingerprint) WHERE NOT resolved DO UPDATE SET
  occurrences = data_validation_errors.occurrences + EXCLUDED.occurrences,
  last_seen = greatest(data_validation_errors.last_seen, EXCLUDED.last_seen),
  expected = EXCLUDED.expected,
  actual = EXCLUDED.actual,
  message = EXCLUDED.message,
  details = EXCLUDED.details,
  severity = EXCLUDED.severity`;

export async function upsertIssues(db: Pick<Db, 'query'>, issues: PendingIssue[]): Promise<void> {
  const rows = issues.map(({ issue: v, count, firstSeen, lastSeen }) => ({
    source: v.source, workspace_id: v.workspaceId, error_type: v.errorType, field: v.field, expected: v.expected,
    actual: v.actual, message: v.message, details: jsonOrNull(v.details), severity: v.severity, occurrences: count,
    first_seen: firstSeen, last_seen: lastSeen,
  }));
  await db.query(UPSERT_ISSUES, [JSON.stringify(rows)]);
}

function jsonOrNull(details: unknown): unknown {
  if (details === undefined) return null;
  try {
    return JSON.parse(JSON.stringify(details)) ?? null;
  } catch {
    return { unserializable: String(details) };
  }
}

// updated_at is the database's now(): the health view judges liveness by the same clock.
const UPSERT_RUNTIME_STATE = `
INSERT INTO gateway_runtime_state (instance_id, open_breakers, open_breaker_keys, monitoring_backlog, dropped_rows, updated_at)
VALUES ($1, $2, $3::jsonb, $4, $5, now())
ON CONFLICT (instance_id) DO UPDATE SET
  open_breakers = EXCLUDED.open_breakers,
  open_breaker_keys = EXCLUDED.open_breaker_keys,
  monitoring_backlog = EXCLUDED.monitoring_backlog,
  dropped_rows = EXCLUDED.dropped_rows,
  updated_at = EXCLUDED.updated_at`;

export async function upsertRuntimeState(db: Pick<Db, 'query'>, s: RuntimeState): Promise<void> {
  await db.query(UPSERT_RUNTIME_STATE, [s.instanceId, s.openBreakerKeys.length, JSON.stringify(s.openBreakerKeys), s.backlog, s.dropped]);
}

/** A replica that stops cleanly takes its row away: it is no longer live, and its breakers no longer open, at once. */
export async function removeRuntimeState(db: Pick<Db, 'query'>, instanceId: string): Promise<void> {
  await db.query('DELETE FROM gateway_runtime_state WHERE instance_id = $1', [instanceId]);
}
