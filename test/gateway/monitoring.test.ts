/**
 * Monitoring end to end on the real Postgres: queries through the gateway against a faulty
 * simulator, then the monitoring tables and the health view compared with what the simulator
 * counted and with the `health` query. The clock is a ManualClock set to the real time, because
 * the health view judges "the last hour" by the database's now().
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock';
import type { Db } from '../../src/sources/db';
import { createTestGateway, type TestGateway } from '../support/gateway';

const STATS = 'GET /api/workspaces/v1.1/stats';

function tally(keys: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of keys) out[k] = (out[k] ?? 0) + 1;
  return out;
}

describe('monitoring through the gateway (Postgres)', () => {
  let t: TestGateway;
  let db: Db;
  /** Two client workspaces the tests break on purpose. */
  let first: number;
  let second: number;
  const flush = () => t.gateway.services.recorder.flush();

  beforeAll(async () => {
    t = await createTestGateway({ database: 'postgres', clock: new ManualClock(Date.now()), sim: { workspaces: 5, mailboxes: 200 } });
    db = t.gateway.services.db;
    [first, second] = (await t.gateway.services.registry.list({ activeOnly: true })).map((c) => c.workspaceId);
  });
  afterAll(() => t?.close());

  it('writes one api_health_logs row per upstream attempt, retries included, as the simulator counted them', async () => {
    t.sim.control.setFaults([{ endpoint: STATS, errorRate: 0.3 }]);
    const res = await t.query('{ kpi { totals { clients } errors { workspaceId code } } }');
    expect(res.body.errors).toBeUndefined();
    await flush();

    const simulated = tally(t.sim.control.counters().recent.map((r) => `${r.endpoint} ${r.status}`));
    // Breaker fail-fasts are recorded too (error_type circuit_open) but never reach the upstream.
    const { rows } = await db.query<{ endpoint: string; status: number; n: number }>(
      `SELECT method || ' ' || endpoint AS endpoint, status_code AS status, count(*)::int AS n FROM api_health_logs
       WHERE error_type IS DISTINCT FROM 'circuit_open' GROUP BY 1, 2`,
    );
    const recorded = Object.fromEntries(rows.map((r) => [`${r.endpoint} ${r.status}`, r.n]));
    expect(recorded).toEqual(simulated);
    expect(simulated[`${STATS} 500`]).toBeGreaterThan(0);

    const retried = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM api_health_logs WHERE attempt_number > 1`);
    expect(retried.rows[0].n).toBeGreaterThan(0);
    const failed = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM api_health_logs WHERE NOT success AND error_type = 'http_5xx'`);
    expect(failed.rows[0].n).toBe(simulated[`${STATS} 500`]);
  });

  it('keeps one data_cache_metadata row per cache key with the state the cache reports', async () => {
    await flush();
    const entries = await t.gateway.services.cache.entries();
    expect(entries.length).toBeGreaterThan(0);
    const { rows } = await db.query<{ cache_key: string; status: string; record_count: number | null }>(
      'SELECT cache_key, status, record_count FROM data_cache_metadata',
    );
    const byKey = new Map(rows.map((r) => [r.cache_key, r]));
    for (const e of entries) {
      expect(byKey.get(e.key)?.status, e.key).toBe(e.state);
      if (e.state === 'fresh') expect(byKey.get(e.key)?.record_count, e.key).toBe(e.recordCount);
    }
  });

  it('counts a repeated validation failure (schema drift) as one row with occurrences', async () => {
    t.sim.control.setFaults([{ endpoint: STATS, workspaceId: first, drift: { mode: 'missing', field: 'interested' } }]);
    // A cold cache (no fallback value): every read of the drifted workspace refetches and fails again.
    await t.gateway.services.cache.clear(undefined, { keepFallback: false });
    const seen = t.sim.control.counters().recent.length;
    // The revenue dashboard reads one stats window per workspace: each query refetches the drifted one.
    for (let i = 0; i < 5; i++) {
      const res = await t.query('{ revenue { errors { workspaceId code } } }');
      expect(res.body.data.revenue.errors).toContainEqual({ workspaceId: first, code: 'UPSTREAM_INVALID_PAYLOAD' });
    }
    const drifted = t.sim.control.counters().recent.slice(seen).filter((r) => r.endpoint === STATS && r.workspaceId === first);
    expect(drifted.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    await flush();
    const { rows } = await db.query<{ source: string; field: string; occurrences: number; severity: string; actual: string }>(
      `SELECT source, field, occurrences, severity, actual FROM data_validation_errors WHERE workspace_id = $1 AND error_type = 'schema'`,
      [first],
    );
    expect(rows).toEqual([{ source: '/api/workspaces/v1.1/stats', field: 'data.interested', occurrences: 5, severity: 'error', actual: 'missing' }]);
  });

  it('records dashboard validation warnings with severity warning, repeats counted', async () => {
    t.sim.control.clearFaults();
    // A client without a KPI target is served with a NO_KPI_TARGET warning.
    const upsert = await t.query(`mutation { upsertClient(input: { workspaceId: ${second}, monthlyKpiTarget: 0 }) { workspaceId } }`);
    expect(upsert.body.errors).toBeUndefined();
    const query = '{ kpi { warnings { workspaceId field rule } } }';
    const first = await t.query(query);
    const warnings: { workspaceId: number; field: string; rule: string }[] = first.body.data.kpi.warnings;
    expect(warnings).toContainEqual({ workspaceId: second, field: 'monthlyKpi', rule: 'NO_KPI_TARGET' });
    await flush();
    const read = async () =>
      (await db.query<{ workspace_id: number; field: string; error_type: string; occurrences: number }>(
        `SELECT workspace_id, field, error_type, occurrences FROM data_validation_errors
         WHERE source = 'kpi' AND severity = 'warning' AND NOT resolved ORDER BY 1, 2, 3`,
      )).rows;
    const once = await read();
    expect(once.map((r) => `${r.workspace_id} ${r.field} ${r.error_type}`).sort()).toEqual(
      warnings.map((w) => `${w.workspaceId} ${w.field} ${w.rule}`).sort(),
    );

    await t.query(query);
    await t.query(query);
    await flush();
    const thrice = await read();
    expect(thrice.map((r) => r.occurrences)).toEqual(once.map((r) => r.occurrences + 2));
  });

  it('moves the health score with injected faults, the same figure in the view and the health query', async () => {
    const healthQuery = '{ health { score status issues upstreamCallsLastHour upstreamFailuresLastHour } }';
    const view = async () => (await db.query<{ health_score: number; issues: string[] }>('SELECT health_score, issues FROM dashboard_health_summary')).rows[0];
    await flush();
    const before = await t.query(healthQuery);
    expect(before.body.data.health.score).toBe((await view()).health_score);

    // Every stats call of two workspaces fails: more failed calls, cache entries in error, breakers open.
    t.sim.control.setFaults([{ endpoint: STATS, workspaceId: first, errorRate: 1 }, { endpoint: STATS, workspaceId: second, errorRate: 1 }]);
    await t.query('mutation { clearCache }');
    await t.query('{ kpi { errors { workspaceId code } } }');
    await flush();
    const after = await t.query(healthQuery);
    const { health_score, issues } = await view();
    expect(after.body.data.health.score).toBe(health_score);
    expect(after.body.data.health.issues).toEqual(issues);
    expect(health_score).toBeLessThan(before.body.data.health.score);
    expect(after.body.data.health.upstreamFailuresLastHour).toBeGreaterThan(before.body.data.health.upstreamFailuresLastHour);
    expect(issues.some((i) => /upstream calls failed/.test(i))).toBe(true);
    expect(issues.some((i) => /cache entries in error/.test(i))).toBe(true);
    expect(health_score).toBe(await scoreFromFacts(db));
  });
});

/** The documented formula (src/monitoring/README.md), recomputed from the raw tables. */
async function scoreFromFacts(db: Db): Promise<number> {
  const one = async (sql: string) => (await db.query<{ v: number }>(sql)).rows[0].v;
  const cacheTotal = await one(`SELECT count(*)::int AS v FROM data_cache_metadata`);
  const cacheError = await one(`SELECT count(*)::int AS v FROM data_cache_metadata WHERE status = 'error'`);
  const cacheStale = await one(`SELECT count(*)::int AS v FROM data_cache_metadata WHERE status = 'stale'`);
  const calls = await one(`SELECT count(*)::int AS v FROM api_health_logs WHERE created_at > now() - interval '1 hour'`);
  const failures = await one(`SELECT count(*)::int AS v FROM api_health_logs WHERE created_at > now() - interval '1 hour' AND NOT success`);
  const p95 = await one(`SELECT coalesce(percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms), 0)::float8 AS v FROM api_health_logs WHERE created_at > now() - interval '1 hour'`);
  const critical = await one(`SELECT count(*)::int AS v FROM data_validation_errors WHERE NOT resolved AND severity = 'critical'`);
  const errors = await one(`SELECT count(*)::int AS v FROM data_validation_errors WHERE NOT resolved AND severity = 'error'`);
  const breakers = await one(`SELECT coalesce(sum(open_breakers), 0)::int AS v FROM gateway_runtime_state WHERE updated_at > now() - interval '2 minutes'`);
  const backlog = await one(`SELECT coalesce(sum(monitoring_backlog), 0)::int AS v FROM gateway_runtime_state WHERE updated_at > now() - interval '2 minutes'`);
  const penalty =
    Math.min(25, 5 * cacheError) +
    (cacheTotal === 0 ? 0 : (15 * cacheStale) / cacheTotal) +
    (calls === 0 ? 0 : (40 * failures) / calls) +
    Math.min(15, Math.max(0, (p95 - 5000) / 1000)) +
    Math.min(30, 10 * breakers) +
    Math.min(30, 15 * critical) +
    Math.min(15, 3 * errors) +
    (backlog >= 1000 ? 10 : 0);
  return Math.max(0, Math.min(100, Math.round(100 - penalty)));
}
