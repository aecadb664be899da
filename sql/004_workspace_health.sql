-- Health for one workspace: the same score as dashboard_health_summary, over that workspace's cache
-- entries, upstream calls, validation findings and breakers (a CLIENT token's `health`). The view is
-- redefined over the function with no workspace, so the score formula is written once.

CREATE FUNCTION health_summary(ws integer)
RETURNS TABLE (
  cache_total integer, cache_fresh integer, cache_stale integer, cache_error integer, cache_updating integer,
  calls_last_hour integer, failures_last_hour integer, failure_rate double precision,
  avg_latency_ms double precision, p95_latency_ms double precision,
  validation_unresolved integer, validation_critical integer, validation_error integer,
  validation_warning integer, validation_info integer,
  live_instances integer, open_breakers integer, monitoring_backlog integer, dropped_rows bigint,
  health_score integer, status text, issues text[], computed_at timestamptz
)
LANGUAGE sql STABLE AS $$
WITH cache AS (
  SELECT count(*)::int AS total,
         count(*) FILTER (WHERE status = 'fresh')::int AS fresh,
         count(*) FILTER (WHERE status = 'stale')::int AS stale,
         count(*) FILTER (WHERE status = 'error')::int AS error,
         count(*) FILTER (WHERE status = 'updating')::int AS updating
  FROM data_cache_metadata
  WHERE ws IS NULL OR workspace_id = ws
), calls AS (
  SELECT count(*)::int AS total,
         count(*) FILTER (WHERE NOT success)::int AS failures,
         coalesce(avg(latency_ms), 0)::float8 AS avg_latency_ms,
         coalesce(percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms), 0)::float8 AS p95_latency_ms
  FROM api_health_logs
  WHERE created_at > now() - interval '1 hour' AND (ws IS NULL OR workspace_id = ws)
), validation AS (
  SELECT count(*)::int AS total,
         count(*) FILTER (WHERE severity = 'critical')::int AS critical,
         count(*) FILTER (WHERE severity = 'error')::int AS error,
         count(*) FILTER (WHERE severity = 'warning')::int AS warning,
         count(*) FILTER (WHERE severity = 'info')::int AS info
  FROM data_validation_errors
  WHERE NOT resolved AND (ws IS NULL OR workspace_id = ws)
), runtime AS (
  -- A workspace's view counts its own breakers; the replicas' backlog is not a workspace's concern.
  SELECT count(*)::int AS live_instances,
         coalesce(sum(CASE WHEN ws IS NULL THEN open_breakers ELSE (
           SELECT count(*) FROM jsonb_array_elements_text(open_breaker_keys) AS k(key) WHERE k.key LIKE ws || ':%') END), 0)::int AS open_breakers,
         coalesce(sum(CASE WHEN ws IS NULL THEN monitoring_backlog ELSE 0 END), 0)::int AS backlog,
         coalesce(sum(CASE WHEN ws IS NULL THEN dropped_rows ELSE 0 END), 0)::bigint AS dropped_rows
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
FROM scored
$$;

CREATE OR REPLACE VIEW dashboard_health_summary AS SELECT * FROM health_summary(NULL);
