import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/clock';
import { createMetrics } from '../../src/monitoring/metrics';
import { createRecorder, type MonitoringRecorder } from '../../src/monitoring/recorder';
import { readHealth } from '../../src/monitoring/health';
import { upstreamIncidents } from '../../src/monitoring/incidents';
import { backends, withDatabase, type TestDatabase } from '../support/databases';
import { attempt, cacheChange, clearMonitoring, failedAttempt, flakyDb, issue } from './fixtures';

// A long interval: these tests flush by hand, the timer never fires during them.
const manual = { flushIntervalMs: 3_600_000 };

describe.each(backends)('monitoring recorder on %s', (kind) => {
  let t: TestDatabase;
  const recorders: MonitoringRecorder[] = [];
  const recorder = (...args: Parameters<typeof createRecorder>) => {
    const r = createRecorder(...args);
    recorders.push(r);
    return r;
  };

  beforeAll(async () => {
    t = await withDatabase(kind);
  });
  beforeEach(() => clearMonitoring(t.db));
  afterAll(async () => {
    await Promise.all(recorders.map((r) => r.close()));
    await t.cleanup();
  });

  it('writes each upstream attempt as one row with its fields', async () => {
    const rec = recorder(t.db, { instanceId: 'a', ...manual });
    const at = Date.parse('2026-11-29T10:00:00.250Z');
    rec.attempt(attempt({ at, latencyMs: 87.6, workspaceId: 3 }));
    rec.attempt(failedAttempt({ at: at + 1000, attempt: 2, statusCode: null, errorType: 'timeout', triggeredBy: 'background', workspaceId: null }));
    rec.attempt(attempt({ at: at + 2000, endpoint: '/api/sender-emails', method: 'GET', attempt: 1 }));
    await rec.flush();

    const { rows } = await t.db.query<Record<string, unknown>>(
      'SELECT created_at, api, endpoint, method, status_code, latency_ms, success, error_type, workspace_id, attempt_number, triggered_by FROM api_health_logs ORDER BY id',
    );
    expect(rows).toEqual([
      { created_at: new Date(at), api: 'email_bison', endpoint: '/api/workspaces/v1.1/stats', method: 'GET', status_code: 200, latency_ms: 88, success: true, error_type: null, workspace_id: 3, attempt_number: 1, triggered_by: 'request' },
      { created_at: new Date(at + 1000), api: 'email_bison', endpoint: '/api/workspaces/v1.1/stats', method: 'GET', status_code: null, latency_ms: 120, success: false, error_type: 'timeout', workspace_id: null, attempt_number: 2, triggered_by: 'background' },
      { created_at: new Date(at + 2000), api: 'email_bison', endpoint: '/api/sender-emails', method: 'GET', status_code: 200, latency_ms: 120, success: true, error_type: null, workspace_id: 7, attempt_number: 1, triggered_by: 'request' },
    ]);
    expect(rec.stats()).toMatchObject({ pending: 0, written: 3, dropped: 0, lastError: null });
  });

  it('splits a large buffer into batches and writes every row once', async () => {
    const rec = recorder(t.db, { instanceId: 'a', maxBatch: 7, ...manual });
    for (let i = 0; i < 50; i++) rec.attempt(attempt({ latencyMs: i }));
    await rec.flush();
    const { rows } = await t.db.query<{ n: number; s: number }>('SELECT count(*) AS n, sum(latency_ms) AS s FROM api_health_logs');
    expect(rows[0]).toEqual({ n: 50, s: (49 * 50) / 2 });
  });

  it('counts a validation failure reported 5 times, across flushes, in one row', async () => {
    const clock = new ManualClock('2026-11-29T10:00:00Z');
    const rec = recorder(t.db, { instanceId: 'a', clock, ...manual });
    rec.validation(issue());
    rec.validation(issue());
    await rec.flush();
    clock.advance(60_000);
    rec.validation(issue({ actual: 'null' }));
    rec.validation(issue());
    await rec.flush();
    rec.validation(issue());
    rec.validation(issue({ field: 'data[4].emails_sent_count' })); // another finding
    await rec.flush();

    const { rows } = await t.db.query<{ field: string; occurrences: number; first_seen: Date; last_seen: Date; details: unknown }>(
      'SELECT field, occurrences, first_seen, last_seen, details FROM data_validation_errors ORDER BY field',
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ field: 'data[3].emails_sent_count', occurrences: 5, details: { path: ['data', 3, 'emails_sent_count'] } });
    expect(rows[0].first_seen).toEqual(new Date('2026-11-29T10:00:00Z'));
    expect(rows[0].last_seen).toEqual(new Date('2026-11-29T10:01:00Z'));
    expect(rows[1]).toMatchObject({ occurrences: 1 });
  });

  it('starts a new row for a finding seen again after it was resolved', async () => {
    const rec = recorder(t.db, { instanceId: 'a', ...manual });
    rec.validation(issue());
    await rec.flush();
    await t.db.query('UPDATE data_validation_errors SET resolved = true, resolved_at = now()');
    rec.validation(issue());
    await rec.flush();
    const { rows } = await t.db.query<{ resolved: boolean; occurrences: number }>('SELECT resolved, occurrences FROM data_validation_errors ORDER BY id');
    expect(rows).toEqual([{ resolved: true, occurrences: 1 }, { resolved: false, occurrences: 1 }]);
  });

  it('keeps one cache metadata row per key, with the latest state', async () => {
    const clock = new ManualClock('2026-11-29T10:00:00Z');
    const rec = recorder(t.db, { instanceId: 'a', clock, ...manual });
    rec.cacheState(cacheChange({ status: 'updating', lastUpdated: null, recordCount: null }));
    rec.cacheState(cacheChange({ status: 'fresh', recordCount: 12, version: 2 }));
    rec.cacheState(cacheChange({ key: 'sender-emails:7', resource: 'sender-emails', recordCount: 400 }));
    await rec.flush();
    clock.advance(1000);
    // `updating` carries no figures: the last fetch's figures stay.
    rec.cacheState(cacheChange({ status: 'updating', lastUpdated: null, recordCount: null, version: 3 }));
    await rec.flush();
    clock.advance(1000);
    rec.cacheState(cacheChange({ status: 'error', lastUpdated: null, recordCount: null, errorMessage: 'upstream timed out', version: 3 }));
    await rec.flush();

    const { rows } = await t.db.query('SELECT cache_key, status, record_count, error_message, version FROM data_cache_metadata ORDER BY cache_key');
    expect(rows).toEqual([
      { cache_key: 'sender-emails:7', status: 'fresh', record_count: 400, error_message: null, version: 1 },
      { cache_key: 'stats:7:2026-11-01:2026-11-29', status: 'error', record_count: 12, error_message: 'upstream timed out', version: 3 },
    ]);
  });

  it('writes breaker state, backlog and dropped rows to gateway_runtime_state', async () => {
    const rec = recorder(t.db, { instanceId: 'replica-1', ...manual });
    rec.breaker({ workspaceId: 7, endpoint: '/api/sender-emails', state: 'open', at: Date.now() });
    rec.breaker({ workspaceId: 8, endpoint: '/api/sender-emails', state: 'open', at: Date.now() });
    rec.breaker({ workspaceId: 8, endpoint: '/api/sender-emails', state: 'half_open', at: Date.now() });
    await rec.flush();
    const { rows } = await t.db.query('SELECT instance_id, open_breakers, open_breaker_keys, monitoring_backlog, dropped_rows FROM gateway_runtime_state');
    expect(rows).toEqual([{ instance_id: 'replica-1', open_breakers: 1, open_breaker_keys: ['7:/api/sender-emails'], monitoring_backlog: 0, dropped_rows: 0 }]);
  });

  it('a replica that closes is no longer live, and its open breakers no longer open, at once (not 2 minutes later)', async () => {
    const stays = recorder(t.db, { instanceId: 'stays', ...manual });
    const goes = createRecorder(t.db, { instanceId: 'goes', ...manual });
    goes.breaker({ workspaceId: 7, endpoint: '/api/sender-emails', state: 'open', at: Date.now() });
    await Promise.all([stays.flush(), goes.flush()]);
    const breakerIncidents = async () => (await upstreamIncidents(t.db, Date.now(), { staleAfterMs: 600_000 })).filter((i) => i.summary.includes('/api/sender-emails'));
    expect((await readHealth(t.db)).runtime).toMatchObject({ liveInstances: 2, openBreakers: 1 });
    expect(await breakerIncidents()).toHaveLength(1);

    await goes.close();
    expect((await readHealth(t.db)).runtime).toMatchObject({ liveInstances: 1, openBreakers: 0 });
    expect(await breakerIncidents()).toHaveLength(0);
    // A flush after close does not bring it back.
    await goes.flush();
    const { rows } = await t.db.query<{ instance_id: string }>('SELECT instance_id FROM gateway_runtime_state');
    expect(rows.map((r) => r.instance_id)).toEqual(['stays']);
  });

  it('never touches the database on the caller path, keeps rows while it is down, writes them when it returns', async () => {
    const flaky = flakyDb(t.db);
    const rec = recorder(flaky.db, { instanceId: 'a', ...manual });
    flaky.state.down = true;
    for (let i = 0; i < 5; i++) expect(rec.attempt(attempt({ latencyMs: i }))).toBeUndefined();
    rec.validation(issue());
    rec.cacheState(cacheChange());
    expect(flaky.state.calls).toBe(0);

    await rec.flush();
    expect(rec.stats()).toMatchObject({ pending: 7, written: 0, dropped: 0, lastError: 'connect ECONNREFUSED 127.0.0.1:5432' });
    rec.validation(issue()); // coalesces with the buffered one
    await rec.flush();
    expect(rec.stats().pending).toBe(7);

    flaky.state.down = false;
    await rec.flush();
    expect(rec.stats()).toMatchObject({ pending: 0, written: 7, lastError: null });
    const counts = await t.db.query<{ attempts: number; occurrences: number; caches: number }>(
      `SELECT (SELECT count(*) FROM api_health_logs) AS attempts,
              (SELECT sum(occurrences) FROM data_validation_errors) AS occurrences,
              (SELECT count(*) FROM data_cache_metadata) AS caches`,
    );
    expect(counts.rows[0]).toEqual({ attempts: 5, occurrences: 2, caches: 1 });
  });

  it('drops the oldest attempts when the buffer is full, counts them, and reports them when the database returns', async () => {
    const flaky = flakyDb(t.db);
    const metrics = createMetrics();
    const rec = recorder(flaky.db, { instanceId: 'small', maxBuffer: 10, metrics, ...manual });
    flaky.state.down = true;
    for (let i = 0; i < 15; i++) rec.attempt(attempt({ latencyMs: i }));
    await rec.flush();
    rec.attempt(attempt({ latencyMs: 15 }));
    expect(rec.stats()).toMatchObject({ pending: 10, dropped: 6 });

    flaky.state.down = false;
    await rec.flush();
    const { rows } = await t.db.query<{ latency_ms: number }>('SELECT latency_ms FROM api_health_logs ORDER BY id');
    expect(rows.map((r) => r.latency_ms)).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    const state = await t.db.query('SELECT dropped_rows, monitoring_backlog FROM gateway_runtime_state WHERE instance_id = $1', ['small']);
    expect(state.rows).toEqual([{ dropped_rows: 6, monitoring_backlog: 0 }]);
    expect(await metrics.text()).toContain('bison_monitoring_rows_dropped_total 6');
    expect(await metrics.text()).toContain('bison_monitoring_rows_written_total 10');
  });

  it('flushes on its timer and backs off exponentially while the database is down', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const clock = new ManualClock();
      const flaky = flakyDb(t.db);
      const rec = createRecorder(flaky.db, { instanceId: 'timer', flushIntervalMs: 1000, clock });
      flaky.state.down = true;
      rec.attempt(attempt());
      const tick = async (clockMs: number) => {
        clock.advance(clockMs);
        await vi.advanceTimersByTimeAsync(1000);
        return flaky.state.calls;
      };
      expect(await tick(1000)).toBe(1); // fails: next try 1 s later
      expect(await tick(0)).toBe(1);
      expect(await tick(1000)).toBe(2); // fails again: next try 2 s later
      expect(await tick(1000)).toBe(2);
      expect(await tick(1000)).toBe(3); // then 4 s
      flaky.state.down = false;
      expect(await tick(3000)).toBe(3);
      await tick(1000);
      await rec.flush();
      expect(rec.stats()).toMatchObject({ pending: 0, written: 1, lastError: null });
      await rec.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('close() also writes the rows reported while its last flush ran (work that ended as the gateway stopped)', async () => {
    const rec = recorder(t.db, { instanceId: 'a', ...manual });
    rec.attempt(attempt({ latencyMs: 1 }));
    const closing = rec.close();
    // Reported after the last flush began: a refresh whose queued calls shutdown refused, say.
    queueMicrotask(() => rec.attempt(attempt({ latencyMs: 2 })));
    setImmediate(() => rec.attempt(attempt({ latencyMs: 3 })));
    await closing;
    expect(rec.stats()).toMatchObject({ pending: 0, written: 3 });
    const { rows } = await t.db.query<{ latency_ms: number }>('SELECT latency_ms FROM api_health_logs ORDER BY latency_ms');
    expect(rows.map((r) => r.latency_ms)).toEqual([1, 2, 3]);
  });

  it('runs one flush at a time', async () => {
    const flaky = flakyDb(t.db);
    const rec = recorder(flaky.db, { instanceId: 'a', maxBatch: 1, ...manual });
    for (let i = 0; i < 5; i++) rec.attempt(attempt());
    const first = rec.flush();
    rec.attempt(attempt());
    await Promise.all([first, rec.flush(), rec.flush()]);
    expect(flaky.state.maxInFlight).toBe(1);
    expect(rec.stats()).toMatchObject({ pending: 0, written: 6 });
  });

  it('never throws to the caller, and refuses malformed observations instead of retrying them forever', async () => {
    const rec = recorder(t.db, { instanceId: 'a', ...manual });
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => rec.validation(issue({ details: circular }))).not.toThrow();
    expect(() => rec.attempt(null as never)).not.toThrow();
    expect(() => rec.cacheState(cacheChange({ status: 'gone' as never }))).not.toThrow();
    await rec.flush();
    const { rows } = await t.db.query<{ details: unknown }>('SELECT details FROM data_validation_errors');
    expect(rows).toEqual([{ details: { unserializable: '[object Object]' } }]);
    expect(rec.stats()).toMatchObject({ pending: 0, written: 1, dropped: 2, lastError: null });
  });

  it('drops (and counts) a batch the database can never accept, and goes on writing', async () => {
    const rec = recorder(t.db, { instanceId: 'a', ...manual });
    rec.attempt(attempt({ workspaceId: 2 ** 40 })); // out of range for integer: SQLSTATE 22003
    await rec.flush();
    rec.attempt(attempt());
    await rec.flush();
    expect(rec.stats()).toMatchObject({ pending: 0, written: 1, dropped: 1, lastError: null });
    const { rows } = await t.db.query<{ n: number }>('SELECT count(*) AS n FROM api_health_logs');
    expect(rows[0].n).toBe(1);
  });
});
