/**
 * A CLIENT token's `health` covers only its own workspace: the same score and figures as the
 * gateway's, computed over that workspace's cache entries, upstream calls, validation findings and
 * breakers (SQL `health_summary(ws)`; the gateway-wide view is the same function over all).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock';
import { createTestGateway, type TestGateway } from '../support/gateway';

const STATS = 'GET /api/workspaces/v1.1/stats';
const HEALTH = '{ health { score status cacheEntries cacheError upstreamCallsLastHour upstreamFailuresLastHour openBreakers } }';

describe('health is scoped like every other figure', () => {
  const clock = new ManualClock(Date.now()); // the health view counts the database's last hour
  let t: TestGateway;
  let own: number;
  let other: number;
  let token: string;

  beforeAll(async () => {
    t = await createTestGateway({ database: 'postgres', clock, sim: { workspaces: 4, mailboxes: 40 } });
    [own, other] = (await t.gateway.services.registry.list({ activeOnly: true })).map((c) => c.workspaceId);
    token = (await t.query(`mutation { createApiToken(role: CLIENT, workspaceId: ${own}) }`)).body.data.createApiToken;
    await t.query('{ kpi { totals { clients } } }');
    t.sim.control.setFaults([{ endpoint: STATS, workspaceId: other, errorRate: 1 }]);
    await t.query(`mutation { refresh(dashboard: KPI, workspaceId: ${other}) { state } }`);
    t.sim.control.clearFaults();
    await t.gateway.services.recorder.flush();
  });
  afterAll(() => t.close());

  it('an ADMIN sees the other workspace\'s trouble; the CLIENT sees its own workspace, healthy', async () => {
    const admin = (await t.query(HEALTH)).body.data.health;
    const client = (await t.query(HEALTH, undefined, token)).body.data.health;
    expect(admin.upstreamFailuresLastHour).toBeGreaterThan(0);
    expect(admin.openBreakers).toBe(1);
    expect(admin.cacheError).toBeGreaterThan(0);
    expect(admin.score).toBeLessThan(100);

    const { rows } = await t.gateway.services.db.query<{ n: number }>('SELECT count(*)::int AS n FROM data_cache_metadata WHERE workspace_id = $1', [own]);
    expect(client).toMatchObject({ score: 100, status: 'HEALTHY', cacheError: 0, upstreamFailuresLastHour: 0, openBreakers: 0, cacheEntries: rows[0].n });
    expect(client.upstreamCallsLastHour).toBeGreaterThan(0);
    expect(client.upstreamCallsLastHour).toBeLessThan(admin.upstreamCallsLastHour);
  });
});
