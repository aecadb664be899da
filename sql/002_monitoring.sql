-- Monitoring: what the gateway observed about the upstream, its cache and the data it validated.
-- Written in batches by src/monitoring/recorder.ts (never on a query's path); read by the `health`
-- and `cacheStats` GraphQL fields and by the alert monitor through `dashboard_health_summary`.

-- One row per cache key, upserted on every state change.
CREATE TABLE data_cache_metadata (
  cache_key         text PRIMARY KEY,
  resource          text NOT NULL,
  workspace_id      integer,
  last_updated      timestamptz,
  fetch_duration_ms integer,
  record_count      integer,
  size_bytes        bigint,
  status            text NOT NULL CHECK (status IN ('fresh', 'stale', 'error', 'updating')),
  error_message     text,
  version           integer NOT NULL DEFAULT 0,
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX data_cache_metadata_status_idx ON data_cache_metadata (status);
CREATE INDEX data_cache_metadata_workspace_idx ON data_cache_metadata (workspace_id, last_updated);

-- One row per upstream HTTP attempt (each retry is its own row).
CREATE TABLE api_health_logs (
  id             bigserial PRIMARY KEY,
  created_at     timestamptz NOT NULL DEFAULT now(),
  api            text NOT NULL,
  endpoint       text NOT NULL,
  method         text NOT NULL,
  status_code    integer,
  latency_ms     integer NOT NULL CHECK (latency_ms >= 0),
  success        boolean NOT NULL,
  error_type     text,
  workspace_id   integer,
  attempt_number integer NOT NULL DEFAULT 1 CHECK (attempt_number >= 1),
  triggered_by   text NOT NULL
);
-- The last-hour window of the health view and the retention sweep both range over created_at.
CREATE INDEX api_health_logs_created_at_idx ON api_health_logs (created_at);
CREATE INDEX api_health_logs_workspace_idx ON api_health_logs (workspace_id, created_at);

-- Schema failures and dashboard-rule findings. A repeat of an unresolved finding (same source,
-- workspace, error type and field) increments `occurrences` instead of adding a row.
CREATE TABLE data_validation_errors (
  id           bigserial PRIMARY KEY,
  source       text NOT NULL,
  workspace_id integer,
  error_type   text NOT NULL,
  field        text,
  expected     text,
  actual       text,
  message      text NOT NULL,
  details      jsonb,
  severity     text NOT NULL CHECK (severity IN ('info', 'warning', 'error', 'critical')),
  occurrences  integer NOT NULL DEFAULT 1 CHECK (occurrences >= 1),
  first_seen   timestamptz NOT NULL DEFAULT now(),
  last_seen    timestamptz NOT NULL DEFAULT now(),
  resolved     boolean NOT NULL DEFAULT false,
  resolved_at  timestamptz,
  -- chr(31) (unit separator) keeps ('a|b', 'c') and ('a', 'b|c') apart.
  fingerprint  text GENERATED ALWAYS AS (md5(
    source || chr(31) || coalesce(workspace_id::text, '') || chr(31) || error_type || chr(31) || coalesce(field, '')
  )) STORED
);
CREATE UNIQUE INDEX data_validation_errors_open_fingerprint_idx ON data_validation_errors (fingerprint) WHERE NOT resolved;
CREATE INDEX data_validation_errors_open_severity_idx ON data_validation_errors (severity) WHERE NOT resolved;
CREATE INDEX data_validation_errors_resolved_at_idx ON data_validation_errors (resolved_at) WHERE resolved;

-- In-process facts of each gateway replica (breakers, monitoring backlog), heartbeated by the
-- recorder so SQL can see them. Rows not updated for 2 minutes belong to a stopped replica.
CREATE TABLE gateway_runtime_state (
  instance_id        text PRIMARY KEY,
  open_breakers      integer NOT NULL DEFAULT 0,
  -- ["<workspaceId|->:<endpoint>", ...] of the open breakers, for alerts naming them
  open_breaker_keys  jsonb NOT NULL DEFAULT '[]'::jsonb,
  monitoring_backlog integer NOT NULL DEFAULT 0,
  dropped_rows       bigint NOT NULL DEFAULT 0,
  updated_at         timestamptz NOT NULL DEFAULT now()
);

-- health_score (0-100): start at 100, subtract each penalty, clamp to 0..100, round.
--   cache entries in error       5 each, at most 25
--   stale share of cache entries 15 x (stale / all entries)
--   upstream failure rate (1 h)  40 x (failed attempts / attempts)
--   slow upstream (1 h)          1 per second of p95 latency above 5 s, at most 15
--   open circuit breakers        10 each, at most 30 (live replicas only)
--   unresolved validation issues 15 per critical (at most 30), 3 per error (at most 15)
--   monitoring backlog           10 when live replicas hold 1000 or more unwritten rows
-- status: healthy >= 80, degraded >= 50, else unhealthy. `issues` names every non-zero penalty.
CREATE VIEW dashboard_health_summary AS
WITH cache AS (
  SELECT count(*)::int AS total,
         count(*) FILTER (WHERE status = 'fresh')::int AS fresh,
         count(*) FILTER (WHERE status = 'stale')::int AS stale,
         count(*) FILTER (WHERE status = 'error')::int AS error,
         count(*) FILTER (WHERE status = 'updating')::int AS updating
  FROM data_cache_metadata
), calls AS (
  SELECT count(*)::int AS total,
         count(*) FILTER (WHERE NOT success)::int AS failures,
         coalesce(avg(latency_ms), 0)::float8 AS avg_latency_ms,
         coalesce(percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms), 0)::float8 AS p95_latency_ms
  FROM api_health_logs
  WHERE created_at > now() - interval '1 hour'
), validation AS (
  SELECT count(*)::int AS total,
         count(*) FILTER (WHERE severity = 'critical')::int AS critical,
         count(*) FILTER (WHERE severity = 'error')::int AS error,
         count(*) FILTER (WHERE severity = 'warning')::int AS warning,
         count(*) FILTER (WHERE severity = 'info')::int AS info
  FROM data_validation_errors
  WHERE NOT resolved
), runtime AS (
  SELECT count(*)::int AS live_instances,
         coalesce(sum(open_breakers), 0)::int AS open_breakers,
         coalesce(sum(monitoring_backlog), 0)::int AS backlog,
         coalesce(sum(dropped_rows), 0)::bigint AS dropped_rows
  FROM gateway_runtime_state
  WHERE updated_at > now() - interval '2 minutes'
), facts AS (
  SELECT cache.total AS cache_total, cache.fresh AS cache_fresh, cache.stale AS cache_stale,
         cache.error AS cache_error, cache.updating AS cache_updating,
         calls.total AS calls_last_hour, calls.failures AS failures_last_hour,
         CASE WHEN calls.total = 0 THEN 0 ELSE calls.failures::float8 / calls.total END AS failure_rate,
         calls.avg_latency_ms, calls.p95_latency_ms,
         validation.total AS validation_unresolved, validation.critical AS validation_critical,
         validation.error AS validation_error, validation.warning AS validation_warning,
         validation.info AS validation_info,
         runtime.live_instances, runtime.open_breakers, runtime.backlog AS monitoring_backlog,
         runtime.dropped_rows
  FROM cache, calls, validation, runtime
), penalties AS (
  SELECT facts.*,
         least(25, 5 * cache_error)::float8 AS p_cache_error,
         CASE WHEN cache_total = 0 THEN 0 ELSE 15 * cache_stale::float8 / cache_total END AS p_stale,
         40 * failure_rate AS p_failures,
         least(15, greatest(0, (p95_latency_ms - 5000) / 1000))::float8 AS p_latency,
         least(30, 10 * open_breakers)::float8 AS p_breakers,
         least(30, 15 * validation_critical)::float8 AS p_critical,
         least(15, 3 * validation_error)::float8 AS p_validation_error,
         CASE WHEN monitoring_backlog >= 1000 THEN 10 ELSE 0 END::float8 AS p_backlog
  FROM facts
), scored AS (
  SELECT penalties.*,
         greatest(0, least(100, round(100 - p_cache_error - p_stale - p_failures - p_latency - p_breakers
           - p_critical - p_validation_error - p_backlog)))::int AS health_score
  FROM penalties
)
SELECT cache_total, cache_fresh, cache_stale, cache_error, cache_updating,
       calls_last_hour, failures_last_hour, failure_rate, avg_latency_ms, p95_latency_ms,
       validation_unresolved, validation_critical, validation_error, validation_warning, validation_info,
       live_instances, open_breakers, monitoring_backlog, dropped_rows,
       health_score,
       CASE WHEN health_score >= 80 THEN 'healthy' WHEN health_score >= 50 THEN 'degraded' ELSE 'unhealthy' END AS status,
       array_remove(ARRAY[
         CASE WHEN p_cache_error > 0 THEN format('%s cache entries in error', cache_error) END,
         CASE WHEN p_stale > 0 THEN format('%s of %s cache entries stale', cache_stale, cache_total) END,
         CASE WHEN p_failures > 0 THEN format('%s of %s upstream calls failed in the last hour (%s%%)',
           failures_last_hour, calls_last_hour, round((failure_rate * 100)::numeric, 1)) END,
         CASE WHEN p_latency > 0 THEN format('upstream p95 latency %s ms (over 5000 ms)', round(p95_latency_ms::numeric)) END,
         CASE WHEN p_breakers > 0 THEN format('%s circuit breakers open', open_breakers) END,
         CASE WHEN p_critical > 0 THEN format('%s critical validation errors unresolved', validation_critical) END,
         CASE WHEN p_validation_error > 0 THEN format('%s validation errors unresolved', validation_error) END,
         CASE WHEN p_backlog > 0 THEN format('%s monitoring rows waiting to be written', monitoring_backlog) END
       ]::text[], NULL) AS issues,
       now() AS computed_at
FROM scored;
