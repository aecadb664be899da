/**
 * The start-up warm-up (src/server/gateway.ts, `warmRequestPipeline`): the gateway runs the KPI
 * query once in-process before it is handed to the network, so the first real request does not
 * pay for cold code. It must leave no trace an operator would see: no request log line, no
 * request or operation metric, no cache read, no upstream call, no monitoring row. (How much it
 * saves is measured by the B1 bench, not here.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLog } from '../support/log-capture';
import { ADMIN_TOKEN, createTestGateway, type TestGateway } from '../support/gateway';

/** The samples of one metric in the Prometheus text (HELP and TYPE lines left out). */
const samples = (text: string, metric: string) => text.split('\n').filter((line) => line.startsWith(`${metric}{`) || line.startsWith(`${metric} `));

describe('the start-up warm-up', () => {
  const log = captureLog('debug');
  let t: TestGateway;
  const metrics = async () => (await t.gateway.fetch('http://gateway.test/metrics', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text();

  beforeAll(async () => {
    t = await createTestGateway({ sim: { workspaces: 4, mailboxes: 40 }, gateway: { logger: log.logger } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('leaves no request, operation, cache read, upstream call or monitoring row behind', async () => {
    expect(log.lines.filter((l) => l.msg === 'request' || Number(l.level) >= 40)).toEqual([]); // nothing at warn or above
    const before = await metrics();
    expect(samples(before, 'bison_graphql_operations_total')).toEqual([]);
    expect(samples(before, 'bison_http_requests_total').filter((l) => l.includes('route="/graphql"'))).toEqual([]);
    expect(samples(before, 'bison_cache_reads_total')).toEqual([]);
    expect(t.upstreamCalls('GET /api/workspaces/v1.1/stats')).toBe(0);
    await t.gateway.services.recorder.flush();
    const rows = await t.gateway.services.db.query<{ calls: number; issues: number }>(
      `SELECT (SELECT count(*)::int FROM api_health_logs WHERE workspace_id IS NOT NULL) AS calls,
              (SELECT count(*)::int FROM data_validation_errors) AS issues`);
    expect(rows.rows[0]).toEqual({ calls: 0, issues: 0 }); // start-up's discovery calls name no workspace

    // The same checks see a real request: they are not blind.
    const answer = await t.query('query Kpi { kpi { totals { clients } } }');
    expect(answer.body.data.kpi.totals.clients).toBeGreaterThan(0);
    const after = await metrics();
    expect(samples(after, 'bison_graphql_operations_total').join('\n')).toContain('operation="Kpi"');
    expect(samples(after, 'bison_cache_reads_total').length).toBeGreaterThan(0);
    expect(log.lines.filter((l) => l.msg === 'request' && l.path === '/graphql')).toHaveLength(1);
    expect(t.upstreamCalls('GET /api/workspaces/v1.1/stats')).toBeGreaterThan(0);
    await t.gateway.services.recorder.flush();
    const recorded = await t.gateway.services.db.query<{ n: number }>('SELECT count(*)::int AS n FROM api_health_logs WHERE workspace_id IS NOT NULL');
    expect(recorded.rows[0].n).toBeGreaterThan(0);
  });
});
