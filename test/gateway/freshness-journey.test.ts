/**
 * One rule on every surface. A workspace is taken through fresh -> failed refresh -> stale -> very
 * stale -> healed while the clock moves, and at each step every surface is read: its KPI row, the
 * dashboard, the `refresh` answer, `extensions.freshness`, `cacheStats`, a `freshnessChanged`
 * subscriber and the data_cache_metadata table. No two of them may disagree, and a failure is never
 * reported as FRESH. Then: `clearCache` during an outage keeps the flagged fallback, and a WARNING
 * says which warning.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock';
import { createTestGateway, DEFAULT_NOW, type TestGateway } from '../support/gateway';
import { eventually, serve, sseSubscribe, type Served, type Subscription } from '../subscriptions/clients';
import { FRESHNESS, iso, KPI_QUERY, settled, type FreshnessAnswer, type KpiAnswer } from './resilience-support';

const MIN = 60_000;
const STATS = 'GET /api/workspaces/v1.1/stats';
type Event = { freshnessChanged: { workspaceId: number; freshness: FreshnessAnswer } };

describe('freshness never contradicts itself', () => {
  const clock = new ManualClock(DEFAULT_NOW);
  let t: TestGateway;
  let served: Served;
  let events: Subscription<Event>;
  let target: number;
  let others: number[];

  beforeAll(async () => {
    t = await createTestGateway({ clock, sim: { workspaces: 4, mailboxes: 40 }, gateway: { subscriptionTickMs: 20, cache: { errorBackoffMs: 0 } } });
    served = await serve(t);
    const first = await t.query<KpiAnswer>(KPI_QUERY);
    [target, ...others] = first.body.data!.kpi.clients.map((c) => c.workspaceId);
    events = sseSubscribe<Event>(served.url, `subscription { freshnessChanged(dashboard: KPI) { workspaceId freshness { ${FRESHNESS.replace('freshness { ', '').replace(/ }$/, '')} } } }`);
    await eventually(() => events.values.length === others.length + 1, 5_000, 'the current value of every workspace');
  });
  afterAll(async () => {
    await events?.close();
    await served?.close();
    await t?.close();
  });

  /** Every surface's view of the target workspace's KPI freshness, read now. */
  async function surfaces() {
    const res = await t.query<KpiAnswer>(KPI_QUERY);
    const kpi = res.body.data!.kpi;
    await settled(t); // a background refresh the read started has landed or failed
    const stats = (await t.query(`{ cacheStats { key workspaceId resource state freshness { ${FRESHNESS.slice(12, -2)} } } }`)).body.data.cacheStats
      .filter((e: { workspaceId: number; resource: string }) => e.workspaceId === target && e.resource === 'stats');
    await t.gateway.services.recorder.flush();
    const { rows } = await t.gateway.services.db.query<{ status: string }>(
      "SELECT DISTINCT status FROM data_cache_metadata WHERE workspace_id = $1 AND resource = 'stats'", [target]);
    return {
      row: kpi.clients.find((c) => c.workspaceId === target)?.freshness,
      dashboard: kpi.freshness,
      extension: res.body.extensions?.freshness,
      entries: stats.map((e: { freshness: FreshnessAnswer }) => e.freshness) as FreshnessAnswer[],
      recorded: rows.map((r) => r.status).sort(),
      errors: kpi.errors,
    };
  }
  const lastEvent = () => [...events.values].reverse().find((e) => e.freshnessChanged.workspaceId === target)!.freshnessChanged.freshness;

  it('fresh: every surface says FRESH, with no message', async () => {
    const s = await surfaces();
    expect(s.row).toMatchObject({ state: 'FRESH', message: null });
    expect(s.dashboard).toMatchObject({ state: 'FRESH', message: null });
    expect(s.extension).toMatchObject({ state: 'FRESH', message: null });
    expect(s.entries.every((f) => f.state === 'FRESH' && f.message === null)).toBe(true);
    expect(s.recorded).toEqual(['fresh']);
    expect(lastEvent()).toMatchObject({ state: 'FRESH' });
  });

  it('a failed forced refresh answers STALE_CACHE and every surface says so until a fetch succeeds', async () => {
    const failedAt = clock.now();
    t.sim.control.setFaults([{ endpoint: STATS, workspaceId: target, errorRate: 1 }]);
    const refreshed = (await t.query(`mutation { refresh(dashboard: KPI, workspaceId: ${target}) { ${FRESHNESS.slice(12, -2)} } }`)).body.data.refresh;
    // Retries of the 5xx open the workspace's breaker: the last attempt of each window was refused by it.
    const message = `served from stale cache: upstream circuit open after repeated failures (upstream server error) since ${iso(failedAt).slice(0, 16).replace('T', ' ')} UTC`;
    expect(refreshed).toMatchObject({ state: 'STALE', origin: 'STALE_CACHE', message });

    clock.advance(30_000); // still within the 2 min TTL: a failure is never hidden behind a young age
    const s = await surfaces();
    expect(s.row).toMatchObject({ state: 'STALE', origin: 'STALE_CACHE', message, ageSeconds: 30 });
    expect(s.dashboard).toMatchObject({ state: 'STALE', origin: 'STALE_CACHE' });
    expect(s.dashboard.message).toBe(`served from stale cache for 1 workspace (${target}): upstream circuit open after repeated failures (upstream server error) since ${iso(failedAt).slice(0, 16).replace('T', ' ')} UTC`);
    expect(s.extension).toMatchObject({ state: 'STALE', origin: 'STALE_CACHE' });
    expect(s.entries.every((f) => f.state === 'STALE' && f.origin === 'STALE_CACHE' && f.message === message)).toBe(true);
    expect(s.recorded).toEqual(['error']);
    await events.waitFor((e) => e.freshnessChanged.workspaceId === target && e.freshnessChanged.freshness.origin === 'STALE_CACHE');
    expect(lastEvent()).toMatchObject({ state: 'STALE', origin: 'STALE_CACHE', message });
    await settled(t);
  });

  it('stale, then very stale past 5 x the TTL: still flagged, still saying since when', async () => {
    const failing = (await surfaces()).row!.message!;
    clock.set(Date.parse(DEFAULT_NOW) + 5 * MIN);
    let s = await surfaces();
    expect(s.row).toMatchObject({ state: 'STALE', origin: 'STALE_CACHE', message: failing, ageSeconds: 300 });
    expect(s.entries.every((f) => f.state === 'STALE')).toBe(true);
    await settled(t);
    clock.set(Date.parse(DEFAULT_NOW) + 10 * MIN + 1_000);
    s = await surfaces();
    expect(s.row).toMatchObject({ state: 'VERY_STALE', origin: 'STALE_CACHE', message: failing, ageSeconds: 601 });
    expect(s.dashboard).toMatchObject({ state: 'VERY_STALE', origin: 'STALE_CACHE' });
    expect(s.extension).toMatchObject({ state: 'VERY_STALE', origin: 'STALE_CACHE' });
    expect(s.entries.every((f) => f.state === 'VERY_STALE')).toBe(true);
    expect(s.recorded).toEqual(['error']);
    await events.waitFor((e) => e.freshnessChanged.workspaceId === target && e.freshnessChanged.freshness.state === 'VERY_STALE');
    await settled(t);
  });

  it('healed: the next fetch makes every surface FRESH again, and no message lingers', async () => {
    t.sim.control.clearFaults();
    clock.advance(31_000); // past the breaker's open period: the next call is its probe, which closes it
    await t.query(`mutation { refresh(dashboard: KPI, workspaceId: ${target}) { state } }`);
    const refreshed = (await t.query(`mutation { refresh(dashboard: KPI, workspaceId: ${target}) { ${FRESHNESS.slice(12, -2)} } }`)).body.data.refresh;
    expect(refreshed).toMatchObject({ state: 'FRESH', origin: 'UPSTREAM', message: null, ageSeconds: 0 });
    const s = await surfaces();
    expect(s.row).toMatchObject({ state: 'FRESH', origin: 'CACHE', message: null, ageSeconds: 0 });
    expect(s.errors).toEqual([]);
    expect(s.entries.every((f) => f.state === 'FRESH' && f.message === null)).toBe(true);
    expect(s.recorded).toEqual(['fresh']);
    await events.waitFor((e) => e.freshnessChanged.workspaceId === target && e.freshnessChanged.freshness.state === 'FRESH' && e.freshnessChanged.freshness.message === null);
  });

  it('clearCache during an outage makes entries refetch but keeps serving the flagged fallback', async () => {
    await t.query('mutation { refresh(dashboard: KPI) { state } }');
    const before = (await t.query<KpiAnswer>(KPI_QUERY)).body.data!.kpi;
    t.sim.control.setFaults([{ endpoint: STATS, errorRate: 1 }]);
    const cleared = await t.query('mutation { clearCache(dashboard: KPI) }');
    expect(cleared.body.data.clearCache).toBeGreaterThan(0);
    const during = (await t.query<KpiAnswer>(KPI_QUERY)).body.data!.kpi;
    expect(during.clients.map((c) => [c.workspaceId, c.leadsGenerated])).toEqual(before.clients.map((c) => [c.workspaceId, c.leadsGenerated]));
    expect(during.clients.every((c) => c.freshness.origin === 'STALE_CACHE' && c.freshness.state === 'STALE')).toBe(true);
    expect(during.freshness).toMatchObject({ state: 'STALE', origin: 'STALE_CACHE' });
    expect(during.errors).toEqual([]);

    t.sim.control.clearFaults();
    clock.advance(31_000);
    await t.query('mutation { refresh(dashboard: KPI) { state } }'); // the breakers' probes
    await t.query('mutation { refresh(dashboard: KPI) { state } }');
    const after = (await t.query<KpiAnswer>(KPI_QUERY)).body.data!.kpi;
    expect(after.freshness).toMatchObject({ state: 'FRESH', message: null });
  });

  it('WARNING names the warning in the message', async () => {
    await t.query(`mutation { upsertClient(input: { workspaceId: ${target}, monthlyKpiTarget: 0 }) { workspaceId } }`);
    const kpi = (await t.query<KpiAnswer>(KPI_QUERY)).body.data!.kpi;
    expect(kpi.clients.find((c) => c.workspaceId === target)!.freshness).toMatchObject({ state: 'WARNING', message: '1 validation warning: NO_KPI_TARGET' });
    expect(kpi.freshness.state).toBe('WARNING');
    expect(kpi.freshness.message).toMatch(/validation warnings?: .*NO_KPI_TARGET/);
  });
});
