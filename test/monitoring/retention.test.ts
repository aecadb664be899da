import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runRetentionOnce } from '../../src/monitoring/retention';
import { backends, withDatabase, type TestDatabase } from '../support/databases';
import { clearMonitoring } from './fixtures';

const NOW = Date.parse('2026-11-29T12:00:00Z');
const daysAgo = (d: number) => new Date(NOW - d * 86_400_000).toISOString();

describe.each(backends)('monitoring retention on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await withDatabase(kind);
  });
  beforeEach(() => clearMonitoring(t.db));
  afterAll(() => t.cleanup());

  const addLog = (at: string, endpoint: string) =>
    t.db.query(`INSERT INTO api_health_logs (created_at, api, endpoint, method, latency_ms, success, triggered_by)
                VALUES ($1, 'email_bison', $2, 'GET', 10, true, 'request')`, [at, endpoint]);
  const addFinding = (field: string, resolvedAt: string | null, firstSeen: string) =>
    t.db.query(`INSERT INTO data_validation_errors (source, error_type, field, message, severity, first_seen, last_seen, resolved, resolved_at)
                VALUES ('kpi', 'rule', $1, 'm', 'warning', $3, $3, $2::timestamptz IS NOT NULL, $2)`, [field, resolvedAt, firstSeen]);

  it('deletes exactly the attempts older than 30 days and resolved findings older than 90 days', async () => {
    await addLog(daysAgo(31), 'old-1');
    await addLog(daysAgo(30.01), 'old-2');
    await addLog(daysAgo(29.99), 'keep-1');
    await addLog(daysAgo(1), 'keep-2');
    await addFinding('resolved-old', daysAgo(91), daysAgo(200));
    await addFinding('resolved-recent', daysAgo(89), daysAgo(200));
    await addFinding('open-ancient', null, daysAgo(400)); // unresolved: kept whatever its age
    await t.db.query(`INSERT INTO gateway_runtime_state (instance_id, updated_at) VALUES ('gone', $1), ('alive', $2)`, [daysAgo(8), daysAgo(0)]);

    const result = await runRetentionOnce(t.db, NOW);
    expect(result).toEqual({ healthLogs: 2, validationErrors: 1, runtimeStates: 1 });
    const logs = await t.db.query<{ endpoint: string }>('SELECT endpoint FROM api_health_logs ORDER BY endpoint');
    expect(logs.rows.map((r) => r.endpoint)).toEqual(['keep-1', 'keep-2']);
    const findings = await t.db.query<{ field: string }>('SELECT field FROM data_validation_errors ORDER BY field');
    expect(findings.rows.map((r) => r.field)).toEqual(['open-ancient', 'resolved-recent']);
  });

  it('works through more rows than one batch and honours a custom policy', async () => {
    for (let i = 0; i < 23; i++) await addLog(daysAgo(8), `old-${i}`);
    await addLog(daysAgo(6), 'keep');
    const result = await runRetentionOnce(t.db, NOW, { healthLogDays: 7, batchSize: 5 });
    expect(result.healthLogs).toBe(23);
    const { rows } = await t.db.query<{ n: number }>('SELECT count(*) AS n FROM api_health_logs');
    expect(rows[0].n).toBe(1);
  });
});
