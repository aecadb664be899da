import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock';
import { createHealthMonitor } from '../../src/monitoring/alerts';
import type { HealthReport } from '../../src/monitoring/health';
import { backends, withDatabase, type TestDatabase } from '../support/databases';
import { clearMonitoring } from './fixtures';
import { startAlertReceiver, type AlertReceiver } from '../support/alert-receiver';


function captureLogger() {
  const lines: string[] = [];
  const log = (obj: unknown, msg?: string) => void lines.push(JSON.stringify(obj) + ' ' + (msg ?? ''));
  return { lines, logger: { warn: log, info: log } as never };
}

const MINUTE = 60_000;

describe.each(backends)('alert monitor on %s', (kind) => {
  let t: TestDatabase;
  let receiver: AlertReceiver;
  beforeAll(async () => {
    t = await withDatabase(kind);
    receiver = await startAlertReceiver();
  });
  beforeEach(async () => {
    await clearMonitoring(t.db);
    receiver.received.length = 0;
    receiver.control.status = 200;
  });
  afterAll(async () => {
    await receiver.close();
    await t.cleanup();
  });

  const failCalls = () =>
    t.db.query(`INSERT INTO api_health_logs (api, endpoint, method, latency_ms, success, error_type, triggered_by)
                SELECT 'email_bison', '/api/x', 'GET', 100, false, 'http_5xx', 'request' FROM generate_series(1, 10)`);
  const healCalls = () => t.db.query('DELETE FROM api_health_logs');
  const monitor = (clock: ManualClock, extra = {}) =>
    createHealthMonitor({ db: t.db, webhookUrl: receiver.url, clock, cooldownMs: 15 * MINUTE, ...extra });

  it('alerts once per incident, once on recovery, and holds back a flap within the cooldown', async () => {
    const clock = new ManualClock();
    const m = monitor(clock);
    await m.check();
    expect(receiver.received).toHaveLength(0);

    await failCalls();
    await m.check();
    await m.check();
    clock.advance(MINUTE);
    await m.check();
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0].text).toContain('Gateway health degraded: score 60/100');
    expect(receiver.received[0].text).toContain('10 of 10 upstream calls failed');
    expect(receiver.received[0].blocks).toHaveLength(1);

    await healCalls();
    await m.check();
    await m.check();
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1].text).toContain('resolved');

    // back within the cooldown: held, and its clearing is not announced either
    await failCalls();
    await m.check();
    await healCalls();
    await m.check();
    expect(receiver.received).toHaveLength(2);

    // a held incident that lasts past the cooldown is announced then
    await failCalls();
    await m.check();
    clock.advance(15 * MINUTE);
    await m.check();
    await m.check();
    expect(receiver.received).toHaveLength(3);
  });

  it('alerts on an open breaker, a very stale or failing workspace and a critical validation error', async () => {
    const clock = new ManualClock();
    const m = monitor(clock);
    await t.db.query(`INSERT INTO gateway_runtime_state (instance_id, open_breakers, open_breaker_keys) VALUES ('r1', 1, '["12:/api/sender-emails"]')`);
    await t.db.query(
      `INSERT INTO data_cache_metadata (cache_key, resource, workspace_id, status, last_updated, error_message, updated_at) VALUES
         ('stats:5', 'stats', 5, 'stale', $1, null, $2),
         ('stats:6', 'stats', 6, 'fresh', $1, null, $2),
         ('stats:9', 'stats', 9, 'error', $2, 'upstream timed out', $2)`,
      [new Date(clock.now() - 11 * MINUTE).toISOString(), new Date(clock.now()).toISOString()],
    );
    await t.db.query(`INSERT INTO data_validation_errors (source, workspace_id, error_type, message, severity)
                      VALUES ('/api/workspaces/v1.1/stats', 3, 'schema', 'stats payload missing interested', 'critical')`);
    await m.check();
    const texts = receiver.received.map((r) => r.text);
    // One incident per cause: each endpoint in trouble once, with its breakers, errors and stale data.
    expect(texts).toHaveLength(3);
    expect(texts.some((s) => s.includes('Email Bison `/api/sender-emails` failing for 1 workspace: 1 circuit breaker open'))).toBe(true);
    expect(texts.find((s) => s.includes('`/api/workspaces/v1.1/stats`'))).toContain(
      `Email Bison \`/api/workspaces/v1.1/stats\` failing for 2 workspaces since ${new Date(clock.now()).toISOString().slice(0, 16).replace('T', ' ')} UTC: `
      + '1 cache entry in error (e.g. upstream timed out), 1 entry very stale, oldest 11 min old',
    );
    expect(texts.some((s) => s.includes('workspace 6'))).toBe(false); // fresh but unread: not an incident
    expect(texts.some((s) => s.includes('1 critical validation error in `/api/workspaces/v1.1/stats` for 1 workspace (seen 1x), e.g. stats payload missing interested'))).toBe(true);
    expect(texts.some((s) => s.includes('Gateway health'))).toBe(false); // a symptom of the causes above
    const opened = texts.length;

    await t.db.exec(`DELETE FROM gateway_runtime_state; UPDATE data_cache_metadata SET status = 'fresh', last_updated = now();
                     UPDATE data_validation_errors SET resolved = true, resolved_at = now()`);
    await m.check();
    const recoveries = receiver.received.slice(opened).map((r) => r.text);
    expect(recoveries.filter((s) => s.includes('resolved')).length).toBe(opened);
  });

  it('a low score that lags behind a resolved cause is not a new incident, for the hour the score looks back', async () => {
    const clock = new ManualClock();
    const m = monitor(clock);
    await t.db.query(
      `INSERT INTO data_cache_metadata (cache_key, resource, workspace_id, status, last_updated, error_message, updated_at)
       VALUES ('stats:9', 'stats', 9, 'error', $1, 'upstream timed out', $1)`, [new Date(clock.now()).toISOString()]);
    await failCalls();
    await m.check();
    expect(receiver.received.map((r) => r.text)).toEqual([expect.stringContaining('Email Bison `/api/workspaces/v1.1/stats` failing for 1 workspace')]);
    await t.db.query("UPDATE data_cache_metadata SET status = 'fresh'"); // the cause clears; the failed calls still weigh on the score
    clock.advance(MINUTE);
    await m.check();
    expect(receiver.received.map((r) => r.text)).toEqual([expect.any(String), expect.stringContaining('resolved: Email Bison')]);
    clock.advance(30 * MINUTE);
    await m.check();
    expect(receiver.received).toHaveLength(2); // still the echo of the outage
    clock.advance(30 * MINUTE);
    await m.check();
    expect(receiver.received.at(-1)?.text).toContain('Gateway health degraded'); // an hour on, nothing explains it
  });

  it('logs a failed send without the webhook URL, never throws, and retries at the next check', async () => {
    const clock = new ManualClock();
    const { lines, logger } = captureLogger();
    const m = monitor(clock, { logger });
    receiver.control.status = 500;
    await failCalls();
    await expect(m.check()).resolves.toMatchObject({ status: 'degraded' });
    expect(lines.join('\n')).toContain('"status":500');

    // Another replica takes the alert lease once m's has expired, and cannot reach its webhook.
    clock.advance(21_000);
    const unreachable = createHealthMonitor({ db: t.db, webhookUrl: 'http://127.0.0.1:1/services/secret-hook-token', clock, logger });
    await expect(unreachable.check()).resolves.not.toBeNull();
    expect(unreachable.leading()).toBe(true);
    expect(lines.join('\n')).toContain('alert webhook unreachable');
    expect(lines.join('\n')).not.toContain('secret-hook-token');

    receiver.control.status = 200;
    await unreachable.close(); // gives the lease back: m takes it at its next check
    await m.check();
    expect(receiver.received).toHaveLength(1);
  });

  it('raises an incident when the monitoring database cannot be read, and tells health listeners of changes', async () => {
    const clock = new ManualClock();
    let down = false;
    const db = { query: (sql: string, params?: unknown[]) => (down ? Promise.reject(new Error('connection refused')) : t.db.query(sql, params)) };
    const m = createHealthMonitor({ db: db as never, webhookUrl: receiver.url, clock });
    const seen: HealthReport[] = [];
    m.onHealthChange((h) => seen.push(h));
    m.onHealthChange(() => {
      throw new Error('a broken listener does not stop the others');
    });

    await m.check();
    await m.check();
    expect(seen.map((h) => h.score)).toEqual([100]);
    await failCalls();
    await m.check();
    expect(seen.map((h) => h.score)).toEqual([100, 60]);

    down = true;
    await expect(m.check()).resolves.toBeNull();
    expect(receiver.received.at(-1)?.text).toContain('cannot read the monitoring database: connection refused');
    down = false;
    await healCalls();
    await m.check();
    expect(seen.map((h) => h.status)).toEqual(['healthy', 'degraded', 'healthy']);
    expect(receiver.received.filter((r) => r.text.includes('resolved'))).toHaveLength(2);
  });
});
