import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readHealth } from '../../src/monitoring/health';
import { createRecorder } from '../../src/monitoring/recorder';
import { backends, withDatabase, type TestDatabase } from '../support/databases';
import { attempt, cacheChange, clearMonitoring, failedAttempt, issue } from './fixtures';

describe.each(backends)('health summary view on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await withDatabase(kind);
  });
  beforeEach(() => clearMonitoring(t.db));
  afterAll(() => t.cleanup());
  // Closed after each test: a closed recorder's replica is no longer live (its runtime state goes).
  const open: Array<ReturnType<typeof createRecorder>> = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((r) => r.close()));
  });

  /** What one live replica records, flushed. */
  const record = async (fill: (r: ReturnType<typeof createRecorder>) => void) => {
    const rec = createRecorder(t.db, { instanceId: 'replica-1', flushIntervalMs: 3_600_000 });
    open.push(rec);
    fill(rec);
    await rec.flush();
  };
  const viewRow = async () => (await t.db.query<Record<string, unknown>>('SELECT * FROM dashboard_health_summary')).rows[0];

  it('is 100 and healthy with nothing wrong', async () => {
    await record((r) => {
      for (let i = 0; i < 10; i++) r.attempt(attempt());
      r.cacheState(cacheChange());
    });
    const health = await readHealth(t.db);
    expect(health).toMatchObject({ score: 100, status: 'healthy', issues: [] });
    expect(health.upstream).toMatchObject({ calls: 10, failures: 0, failureRate: 0, avgLatencyMs: 120 });
    expect(health.cache).toEqual({ total: 1, fresh: 1, stale: 0, error: 0, updating: 0 });
    expect(health.runtime.liveInstances).toBe(1);
  });

  it('falls with upstream failures and says why', async () => {
    await record((r) => {
      for (let i = 0; i < 5; i++) r.attempt(attempt());
      for (let i = 0; i < 5; i++) r.attempt(failedAttempt());
    });
    const health = await readHealth(t.db);
    // 40 x failure rate 0.5
    expect(health.score).toBe(80);
    expect(health.issues).toEqual(['5 of 10 upstream calls failed in the last hour (50.0%)']);
  });

  it('ignores attempts older than an hour', async () => {
    await record((r) => {
      for (let i = 0; i < 5; i++) r.attempt(failedAttempt({ at: Date.now() - 2 * 3_600_000 }));
    });
    expect(await readHealth(t.db)).toMatchObject({ score: 100, upstream: { calls: 0 } });
  });

  it('combines every penalty, names each, and agrees with the view row', async () => {
    await record((r) => {
      for (let i = 0; i < 10; i++) r.attempt(failedAttempt({ latencyMs: 8000 })); // rate 1.0: -40; p95 8 s: -3
      r.cacheState(cacheChange({ key: 'a', status: 'error', errorMessage: 'timed out' })); // -5
      r.cacheState(cacheChange({ key: 'b', status: 'error' })); // -5
      r.cacheState(cacheChange({ key: 'c', status: 'stale' })); // stale 1 of 4: -3.75
      r.cacheState(cacheChange({ key: 'd', status: 'fresh' }));
      r.breaker({ workspaceId: 7, endpoint: '/api/sender-emails', state: 'open', at: Date.now() }); // -10
      r.validation(issue({ severity: 'critical', errorType: 'payload' })); // -15
      r.validation(issue({ severity: 'warning', errorType: 'rule' })); // warnings cost nothing
    });
    const health = await readHealth(t.db);
    expect(health.score).toBe(Math.round(100 - 40 - 3 - 10 - 3.75 - 10 - 15)); // 18
    expect(health.status).toBe('unhealthy');
    expect(health.issues).toEqual([
      '2 cache entries in error',
      '1 of 4 cache entries stale',
      '10 of 10 upstream calls failed in the last hour (100.0%)',
      'upstream p95 latency 8000 ms (over 5000 ms)',
      '1 circuit breakers open',
      '1 critical validation errors unresolved',
    ]);
    expect(health.validation).toMatchObject({ unresolved: 2, critical: 1, warning: 1 });
    expect(health.runtime.openBreakers).toBe(1);

    const row = await viewRow();
    expect(health.score).toBe(row.health_score);
    expect(health.status).toBe(row.status);
    expect(health.issues).toEqual(row.issues);
    expect(health.upstream.failureRate).toBe(row.failure_rate);
  });

  it('clamps at 0 and counts only live replicas', async () => {
    await record((r) => {
      for (let i = 0; i < 10; i++) r.attempt(failedAttempt({ latencyMs: 60_000 }));
      for (let i = 0; i < 10; i++) r.cacheState(cacheChange({ key: `k${i}`, status: 'error' }));
      for (let i = 0; i < 5; i++) r.validation(issue({ severity: 'critical', field: `f${i}` }));
    });
    await t.db.query(`INSERT INTO gateway_runtime_state (instance_id, open_breakers, monitoring_backlog, updated_at)
                      VALUES ('gone', 9, 5000, now() - interval '1 hour')`);
    const health = await readHealth(t.db);
    expect(health.score).toBe(0);
    expect(health.runtime).toMatchObject({ liveInstances: 1, openBreakers: 0, monitoringBacklog: 0 });
  });

  it('penalises a monitoring backlog of a live replica', async () => {
    await t.db.query(`INSERT INTO gateway_runtime_state (instance_id, monitoring_backlog, dropped_rows) VALUES ('busy', 2500, 12)`);
    const health = await readHealth(t.db);
    expect(health).toMatchObject({ score: 90, issues: ['2500 monitoring rows waiting to be written'] });
    expect(health.runtime.droppedRows).toBe(12);
  });
});
