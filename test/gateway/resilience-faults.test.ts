/**
 * Upstream faults through the gateway: an open circuit breaker makes no calls until its probe
 * (and shows in `health` and `cacheStats`), and an upstream failing 30 % of its calls still gets
 * every dashboard answered, with the retries visible in the simulator's counters.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock';
import { createTestGateway, DEFAULT_NOW, type TestGateway } from '../support/gateway';
import { clientWorkspaces, expectedKeys, KPI_QUERY, settled, type KpiAnswer } from './resilience-support';

const STATS_PATH = '/api/workspaces/v1.1/stats';
const MIN = 60_000;

const REFRESH = `mutation ($ws: Int) { refresh(dashboard: KPI, workspaceId: $ws) { state origin ageSeconds message } }`;
const BREAKERS = `{
  health { openBreakers breakers { workspaceId endpoint state failures openedAt nextProbeAt } }
  cacheStats { key workspaceId state breaker { state } }
}`;

describe('upstream faults through the gateway', () => {
  const clock = new ManualClock(DEFAULT_NOW);
  let t: TestGateway;
  let workspaces: number[];

  beforeAll(async () => {
    t = await createTestGateway({ database: 'postgres', clock, sim: { workspaces: 6, mailboxes: 300 } });
    workspaces = await clientWorkspaces(t);
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    t.sim.control.clearFaults();
    await t.gateway.services.cache.clear(undefined, { keepFallback: false }); // a clean slate per test
    t.sim.control.resetCounters();
  });

  const calls = (ws: number) => t.sim.control.counters().byWorkspace[String(ws)] ?? 0;
  const kpi = async () => {
    const res = await t.query<KpiAnswer>(KPI_QUERY);
    expect(res.body.errors).toBeUndefined();
    return res.body.data!.kpi;
  };
  const refresh = async (ws: number) => {
    const res = await t.query(REFRESH, { ws });
    expect(res.body.errors).toBeUndefined();
    return res.body.data.refresh;
  };

  it('an open breaker makes no upstream calls until its probe, and shows in health and cacheStats', async () => {
    const broken = workspaces[0];
    await kpi();
    t.sim.control.addFault({ workspaceId: broken, endpoint: STATS_PATH, errorRate: 1, errorStatus: 502 });
    clock.advance(3 * MIN);
    await kpi(); // expired: the background refreshes fail and open the breaker
    await settled(t);
    await t.gateway.services.recorder.flush(); // the monitoring view's count is written asynchronously

    const seen = await t.query(BREAKERS);
    expect(seen.body.errors).toBeUndefined();
    const { health, cacheStats } = seen.body.data;
    expect(health.openBreakers).toBeGreaterThanOrEqual(1);
    const breaker = health.breakers.find((b: { workspaceId: number }) => b.workspaceId === broken);
    expect(breaker).toMatchObject({ endpoint: STATS_PATH, state: 'OPEN' });
    expect(Date.parse(breaker.nextProbeAt) - Date.parse(breaker.openedAt)).toBe(30_000);
    expect(health.breakers.filter((b: { workspaceId: number }) => b.workspaceId !== broken)).toEqual([]);
    const ownEntries = cacheStats.filter((e: { workspaceId: number }) => e.workspaceId === broken);
    expect(ownEntries.length).toBe(expectedKeys(t, 'KPI', [broken]).length);
    for (const e of ownEntries) expect(e).toMatchObject({ state: 'error', breaker: { state: 'OPEN' } });
    for (const e of cacheStats.filter((x: { workspaceId: number }) => x.workspaceId !== broken)) {
      expect(e.breaker?.state ?? 'CLOSED').toBe('CLOSED');
    }

    // While open: neither a forced refresh nor reads reach the upstream; stale data is served.
    t.sim.control.resetCounters();
    const refused = await refresh(broken);
    expect(refused).toMatchObject({ origin: 'STALE_CACHE', state: 'STALE' });
    expect(refused.message).toMatch(/circuit open/);
    clock.advance(10_000);
    const read = await kpi();
    expect(read.clients.find((c) => c.workspaceId === broken)!.freshness.origin).toBe('STALE_CACHE');
    expect(read.errors).toEqual([]);
    await settled(t);
    expect(calls(broken)).toBe(0);

    // Past nextProbeAt exactly one call goes through; it fails, so the breaker opens again.
    clock.set(Date.parse(breaker.nextProbeAt) + 1_000);
    await refresh(broken);
    expect(calls(broken)).toBe(1);
    const reopened = (await t.query(BREAKERS)).body.data.health.breakers.find((b: { workspaceId: number }) => b.workspaceId === broken);
    expect(reopened.state).toBe('OPEN');

    // The upstream recovers: the next probe closes the breaker and a refresh fetches everything.
    t.sim.control.clearFaults();
    clock.advance(31_000);
    await refresh(broken);
    expect(calls(broken)).toBe(2);
    expect((await t.query(BREAKERS)).body.data.health.breakers).toEqual([]);
    const recovered = await refresh(broken);
    expect(recovered).toMatchObject({ origin: 'UPSTREAM', state: 'FRESH', ageSeconds: 0, message: null });
    expect(calls(broken)).toBe(2 + expectedKeys(t, 'KPI', [broken]).length);
  });

  it('never retries a non-429 4xx or a payload that fails validation; other workspaces are unaffected', async () => {
    const [refused, drifted, ...healthy] = workspaces;
    t.sim.control.addFault({ workspaceId: refused, endpoint: STATS_PATH, errorRate: 1, errorStatus: 404 });
    t.sim.control.addFault({ workspaceId: drifted, endpoint: STATS_PATH, drift: { mode: 'missing', field: 'interested', rate: 1 } });
    const k = await kpi();
    const perWorkspace = expectedKeys(t, 'KPI', [refused]).length;
    expect(calls(refused)).toBe(perWorkspace); // one attempt per resource
    expect(calls(drifted)).toBe(perWorkspace);
    const codes = Object.fromEntries(k.errors.map((e) => [e.workspaceId, e]));
    expect(Object.keys(codes).map(Number).sort((a, b) => a - b)).toEqual([refused, drifted].sort((a, b) => a - b));
    expect(codes[drifted]).toMatchObject({ code: 'UPSTREAM_INVALID_PAYLOAD', retryable: false });
    expect(codes[refused].retryable).toBe(false);
    expect(k.clients.map((c) => c.workspaceId).sort((a, b) => a - b)).toEqual(healthy);
    expect(t.gateway.services.breakers.snapshot().filter((b) => b.state !== 'closed')).toEqual([]); // a healthy upstream refusing us
  });

  it('a 30 % 5xx upstream still answers every query; retries turn most failures into data', async () => {
    const dashboards = ['kpi', 'volume', 'infrastructure'].map((d) => `${d} { freshness { state origin } errors { workspaceId code retryable } }`);
    const everything = `{ ${dashboards.join(' ')} kpi { clients { workspaceId freshness { origin } } } }`;
    await t.query(everything); // warm, no faults
    await settled(t);
    t.sim.control.setFaults([{ errorRate: 0.3, errorStatus: 500 }]);
    t.sim.control.resetCounters();
    let failedRefreshes = 0; // refreshes that ended without data (every attempt failed, or the breaker refused)
    const stop = t.gateway.services.cache.onChange(({ meta }) => void (meta.error && (failedRefreshes += 1)));

    // Cold: a month nobody asked for yet still answers (retryable errors at worst).
    const cold = await t.query(`{ revenue(month: "2026-09") { clients { workspaceId } errors { workspaceId code retryable } } }`);
    expect(cold.status).toBe(200);
    expect(cold.body.errors).toBeUndefined();
    const revenue = cold.body.data.revenue;
    expect(revenue.clients.length + revenue.errors.length).toBe(workspaces.length);
    for (const e of revenue.errors) expect(e.retryable).toBe(true);

    // Warm but expired, twice: every answer is complete (refreshed, or stale if a refresh failed).
    for (let round = 0; round < 2; round++) {
      clock.advance(11 * MIN); // past every dashboard's TTL
      const res = await t.query(everything);
      expect(res.body.errors).toBeUndefined();
      for (const d of ['kpi', 'volume', 'infrastructure']) expect(res.body.data[d].errors).toEqual([]);
      expect(res.body.data.kpi.clients).toHaveLength(workspaces.length);
      await settled(t);
    }

    stop();
    const served500 = t.sim.control.counters().byStatus['500'] ?? 0;
    expect(served500).toBeGreaterThan(10);
    // Without retries each 500 would be one failed refresh; retried, most of them ended with data.
    expect(served500).toBeGreaterThan(2 * failedRefreshes + 5);
    const final = await t.query(everything);
    expect(final.body.data.kpi.errors).toEqual([]);
    expect(final.body.data.kpi.clients).toHaveLength(workspaces.length);
  });
});
