/**
 * Rate limits through the gateway. The simulator's limit and the gateway's pacing both protect a
 * real-time budget, so these run on the wall clock with a tiny world (a few seconds of real time):
 * 429s with Retry-After slow the gateway down instead of failing a dashboard, and a gateway paced
 * below the limit queues its calls and never sees a 429 at all.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock';
import { createTestGateway, FAST_RETRY, type TestGateway } from '../support/gateway';
import { clientWorkspaces, expectedKeys, KPI_QUERY, type KpiAnswer } from './resilience-support';

const STATS = 'GET /api/workspaces/v1.1/stats';
/**
 * Per api-user key: three at once, then one every half second. A workspace's six KPI calls then
 * meet at most four 429s in a row, below the breaker's threshold of five: this tests pacing and
 * Retry-After, not the breaker (which counts 429s by design).
 */
const UPSTREAM_LIMIT = { perMinute: 120, burst: 3 };

describe('upstream rate limits', () => {
  let t: TestGateway | null = null;
  afterEach(async () => {
    await t?.close();
    t = null;
  });

  async function kpiThroughLimit(env: Record<string, string>) {
    t = await createTestGateway({
      database: 'postgres',
      clock: systemClock,
      sim: { workspaces: 3, mailboxes: 60, rateLimit: UPSTREAM_LIMIT },
      env,
      gateway: { retry: { ...FAST_RETRY, deadlineMs: 30_000 } },
    });
    const workspaces = await clientWorkspaces(t);
    t.sim.control.resetCounters();
    const res = await t.query<KpiAnswer>(KPI_QUERY);
    expect(res.body.errors).toBeUndefined();
    const kpi = res.body.data!.kpi;
    expect(kpi.errors).toEqual([]);
    expect(kpi.clients.map((c) => c.workspaceId).sort((a, b) => a - b)).toEqual(workspaces);
    for (const row of kpi.clients) expect(row.freshness.origin).toBe('UPSTREAM');
    return { counters: t.sim.control.counters(), keys: expectedKeys(t, 'KPI', workspaces) };
  }

  it('429s with Retry-After slow the gateway down instead of failing', async () => {
    // The gateway's own pacing is far above the upstream's limit, so the upstream has to say no.
    const { counters, keys } = await kpiThroughLimit({ UPSTREAM_RATE_PER_MINUTE: '100000', UPSTREAM_BURST: '1000' });
    expect(counters.byStatus['429']).toBeGreaterThan(0);
    expect(counters.byStatus['200']).toBe(keys.length); // every resource arrived, each exactly once
    expect(counters.byEndpoint[STATS]).toBe(keys.length + counters.byStatus['429']);
    const breakers = t!.gateway.services.breakers.snapshot().filter((b) => b.state !== 'closed');
    expect(breakers).toEqual([]);
  });

  it('paced below the limit, calls queue and the upstream never refuses one', async () => {
    const { counters, keys } = await kpiThroughLimit({ UPSTREAM_RATE_PER_MINUTE: '100', UPSTREAM_BURST: '2' });
    expect(counters.byStatus['429']).toBeUndefined();
    expect(counters.byStatus['200']).toBe(keys.length);
  });
});
