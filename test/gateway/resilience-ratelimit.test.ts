/**
 * Rate limits through the gateway. The simulator's limit and the gateway's pacing both protect a
 * real-time budget, so these run on the wall clock with a tiny world (a few seconds of real time):
 * 429s with Retry-After slow the gateway down instead of failing a dashboard, a gateway paced
 * below the limit queues its calls and never sees a 429 at all, and in a storm of refreshes against
 * a limit far below the configured pace, the first refusal per key slows that key so 429s stay a
 * small share and no breaker opens (test/upstream/rate-storm.test.ts runs the same at 6 a minute).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock';
import { createTestGateway, FAST_RETRY, type TestGateway } from '../support/gateway';
import { clientWorkspaces, expectedKeys, KPI_QUERY, type KpiAnswer } from './resilience-support';

const STATS = 'GET /api/workspaces/v1.1/stats';
/** Per api-user key: three at once, then one every half second. */
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

  it('a storm of refreshes 8x over the limit: 429s under 10 % of calls, no breaker opens, every refresh answered', async () => {
    // The storm (50 a minute configured, 6 upstream), 10x faster. Calls are spaced (burst 2),
    // so a key meets the limit once, in one call; slowed from then on, it is not refused again.
    t = await createTestGateway({
      clock: systemClock,
      sim: { workspaces: 4, mailboxes: 30, rateLimit: { perMinute: 60, burst: 10 } },
      env: { UPSTREAM_RATE_PER_MINUTE: '500', UPSTREAM_BURST: '2' },
      gateway: { retry: { ...FAST_RETRY, deadlineMs: 30_000 } },
    });
    t.sim.control.resetCounters();
    const until = performance.now() + 8_000;
    while (performance.now() < until) {
      const res = await t.query('mutation { refresh(dashboard: INFRASTRUCTURE) { state origin } }');
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.refresh.origin).toBe('UPSTREAM');
    }
    const { byStatus } = t.sim.control.counters();
    const calls = Object.values(byStatus as Record<string, number>).reduce((a, b) => a + b, 0);
    if (process.env.REPORT_FIGURES) console.log('FIGURES storm', JSON.stringify({ calls, byStatus }));
    expect(calls).toBeGreaterThan(40);
    expect((byStatus['429'] ?? 0) / calls).toBeLessThan(0.1);
    expect(t.gateway.services.breakers.snapshot().filter((b) => b.state !== 'closed')).toEqual([]);
  }, 30_000);
});
