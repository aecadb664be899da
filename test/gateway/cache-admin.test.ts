/**
 * Freshness as clients see it (rows, dashboards and `extensions.freshness`) while a ManualClock
 * moves, and the cache administration: `refresh`, `clearCache`, `cacheStats`, what a CLIENT token
 * may do, and priming after `gateway.start()`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/clock';
import { createTestGateway, DEFAULT_NOW, type TestGateway } from '../support/gateway';
import { clientWorkspaces, expectedKeys, FRESHNESS, iso, KPI_QUERY, settled, type KpiAnswer } from './resilience-support';

const MIN = 60_000;
const REFRESH = `mutation ($d: DashboardKind!, $ws: Int) { refresh(dashboard: $d, workspaceId: $ws) { state origin ageSeconds fetchedAt refreshing nextRefreshAt message } }`;
const INFRA = `{ infrastructure { ${FRESHNESS} byWorkspace { workspaceId } errors { code } } }`;
const STATS = `{ cacheStats { key resource workspaceId fetchedAt ageSeconds state sizeBytes recordCount hits misses lastError { code } } }`;

describe('freshness and cache administration', () => {
  const clock = new ManualClock(DEFAULT_NOW);
  let t: TestGateway;
  let workspaces: number[];

  beforeAll(async () => {
    t = await createTestGateway({ database: 'postgres', clock, sim: { workspaces: 6, mailboxes: 300 } });
    workspaces = await clientWorkspaces(t);
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.gateway.services.cache.clear(undefined, { keepFallback: false }); // a clean slate per test
    t.sim.control.resetCounters();
  });

  const kpi = async (token?: string) => {
    const res = await t.query<KpiAnswer>(KPI_QUERY, undefined, token);
    expect(res.body.errors).toBeUndefined();
    return { ...res.body.data!.kpi, extensions: res.body.extensions };
  };
  const refresh = (d: string, ws?: number, token?: string) => t.query(REFRESH, { d, ws }, token);
  const calls = () => t.sim.control.counters().byWorkspace;

  it('tells the truth about freshness in rows, dashboards and extensions as time passes', async () => {
    const t0 = clock.now();
    const cold = await kpi();
    const fresh = { state: 'FRESH', origin: 'UPSTREAM', ageSeconds: 0, fetchedAt: iso(t0), refreshing: false, nextRefreshAt: iso(t0 + 2 * MIN), message: null };
    expect(cold.freshness).toEqual(fresh);
    for (const row of cold.clients) expect(row.freshness).toEqual(fresh);
    expect(cold.extensions?.freshness).toEqual({ state: 'FRESH', origin: 'UPSTREAM', ageSeconds: 0, fetchedAt: iso(t0), refreshing: false, message: null });

    clock.advance(MIN);
    const cached = await kpi();
    expect(cached.freshness).toEqual({ ...fresh, origin: 'CACHE', ageSeconds: 60 });
    expect(cached.extensions?.freshness).toMatchObject({ state: 'FRESH', origin: 'CACHE', ageSeconds: 60 });

    clock.set(t0 + 2 * MIN + 1_000);
    const expired = await kpi();
    expect(expired.freshness).toMatchObject({ state: 'STALE', origin: 'CACHE', ageSeconds: 121, fetchedAt: iso(t0), refreshing: true, nextRefreshAt: null });
    expect(expired.extensions?.freshness).toMatchObject({ state: 'STALE', origin: 'CACHE', ageSeconds: 121, refreshing: true });
    await settled(t);
    const t1 = clock.now();
    expect((await kpi()).freshness).toEqual({ ...fresh, origin: 'CACHE', fetchedAt: iso(t1), nextRefreshAt: iso(t1 + 2 * MIN) });

    // Infrastructure is judged by its own TTL (10 min), not by KPI's: FRESH at 4 min, STALE past
    // 10 min, VERY_STALE past 50 (5 x its TTL). Its mailboxes are due for a refresh at 5 min, the
    // shortest TTL of the dashboards built from them (revenue), which is what nextRefreshAt says.
    const infra = async () => (await t.query(INFRA)).body.data.infrastructure;
    await infra();
    clock.advance(4 * MIN);
    expect((await infra()).freshness).toMatchObject({ state: 'FRESH', origin: 'CACHE', ageSeconds: 240, refreshing: false, nextRefreshAt: iso(t1 + 5 * MIN) });
    clock.set(t1 + 10 * MIN + 30_000);
    expect((await infra()).freshness).toMatchObject({ state: 'STALE', origin: 'CACHE', ageSeconds: 630, refreshing: true });
    await settled(t);
    const t2 = clock.now();
    clock.set(t2 + 50 * MIN + 1_000);
    const veryStale = await infra();
    expect(veryStale.freshness).toMatchObject({ state: 'VERY_STALE', origin: 'CACHE', ageSeconds: 3001, refreshing: true });
    expect(veryStale.byWorkspace).toHaveLength(workspaces.length);
    await settled(t);
  });

  it('refresh refetches (single-flight) and answers with the new freshness', async () => {
    const [a] = workspaces;
    await kpi();
    clock.advance(30_000);
    t.sim.control.resetCounters();
    const own = expectedKeys(t, 'KPI', [a]).length;

    const answers = await Promise.all(Array.from({ length: 5 }, () => refresh('KPI', a)));
    for (const res of answers) {
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.refresh).toEqual({
        state: 'FRESH', origin: 'UPSTREAM', ageSeconds: 0, fetchedAt: iso(clock.now()), refreshing: false,
        nextRefreshAt: iso(clock.now() + 2 * MIN), message: null,
      });
    }
    expect(calls()).toEqual({ [String(a)]: own }); // five refreshes, one fetch per resource, one workspace
    const row = (await kpi()).clients.find((c) => c.workspaceId === a)!;
    expect(row.freshness).toMatchObject({ ageSeconds: 0, origin: 'CACHE', fetchedAt: iso(clock.now()) });

    t.sim.control.resetCounters();
    const all = await refresh('KPI');
    expect(all.body.data.refresh).toMatchObject({ origin: 'UPSTREAM', ageSeconds: 0 });
    expect(t.upstreamCalls()).toBe(expectedKeys(t, 'KPI', workspaces).length);

    const unknown = await refresh('KPI', 99_999);
    expect(unknown.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('cacheStats counts hits and misses with state and age; clearCache removes one dashboard or all', async () => {
    await kpi();
    await kpi();
    clock.advance(10_000);
    await kpi();
    await t.query(INFRA);
    const { cacheStats } = (await t.query(STATS)).body.data;
    const statsKeys = new Set(expectedKeys(t, 'KPI', workspaces));
    const mailboxKeys = new Set(expectedKeys(t, 'INFRASTRUCTURE', workspaces));
    expect(new Set(cacheStats.map((e: { key: string }) => e.key))).toEqual(new Set([...statsKeys, ...mailboxKeys]));
    for (const e of cacheStats) {
      expect(e).toMatchObject({ state: 'fresh', lastError: null });
      expect(e.sizeBytes).toBeGreaterThan(0);
      if (statsKeys.has(e.key)) expect(e).toMatchObject({ resource: 'stats', hits: 2, misses: 1, ageSeconds: 10 });
      else expect(e).toMatchObject({ resource: 'sender-emails', hits: 0, misses: 1, ageSeconds: 0 });
    }
    const mailboxes = cacheStats.find((e: { key: string }) => mailboxKeys.has(e.key));
    expect(mailboxes.recordCount).toBe(t.sim.world.mailboxes(mailboxes.workspaceId).length);

    const cleared = await t.query('mutation { clearCache(dashboard: INFRASTRUCTURE) }');
    expect(cleared.body.data.clearCache).toBe(mailboxKeys.size);
    const left = (await t.query(STATS)).body.data.cacheStats.map((e: { key: string }) => e.key);
    expect(new Set(left)).toEqual(statsKeys);
    expect((await t.query('mutation { clearCache }')).body.data.clearCache).toBe(statsKeys.size);
    expect((await t.query(STATS)).body.data.cacheStats).toEqual([]);
  });

  it('a CLIENT token refreshes and inspects only its own workspace', async () => {
    const [own, other] = workspaces;
    const minted = await t.query(`mutation ($ws: Int) { createApiToken(role: CLIENT, workspaceId: $ws, label: "cache-admin test") }`, { ws: own });
    expect(minted.body.errors).toBeUndefined();
    const token = minted.body.data.createApiToken as string;
    await kpi();
    t.sim.control.resetCounters();

    const mine = await refresh('KPI', own, token);
    expect(mine.body.errors).toBeUndefined();
    expect(mine.body.data.refresh).toMatchObject({ origin: 'UPSTREAM', ageSeconds: 0 });
    const implicit = await refresh('KPI', undefined, token); // "all I see" = my workspace
    expect(implicit.body.errors).toBeUndefined();
    expect(Object.keys(calls())).toEqual([String(own)]);

    for (const forbidden of [await refresh('KPI', other, token), await refresh('REVENUE', own, token), await t.query('mutation { clearCache }', undefined, token)]) {
      expect(forbidden.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    expect(Object.keys(calls())).toEqual([String(own)]);
    const seen = (await t.query(STATS, undefined, token)).body.data.cacheStats;
    expect(seen.length).toBe(expectedKeys(t, 'KPI', [own]).length);
    for (const e of seen) expect(e.workspaceId).toBe(own);
    const rows = await kpi(token);
    expect(rows.clients.map((c) => c.workspaceId)).toEqual([own]);
  });

  it('entries someone just read are refreshed ahead of expiry, so the next reader never sees them stale', async () => {
    const t0 = clock.now();
    await kpi(); // watches its keys for one TTL
    clock.set(t0 + 2 * MIN - 10_000); // inside the refresh-ahead lead (20 s before expiry)
    t.sim.control.resetCounters();
    const landed = await t.gateway.services.cache.refreshAhead(); // one tick of the timer start() runs
    expect(landed).toBe(expectedKeys(t, 'KPI', workspaces).length);
    expect(t.upstreamCalls()).toBe(landed);
    clock.set(t0 + 2 * MIN + 5_000); // past the first fetch's TTL
    const later = await kpi();
    expect(later.freshness).toMatchObject({ state: 'FRESH', origin: 'CACHE', ageSeconds: 15, refreshing: false });
    expect(t.upstreamCalls()).toBe(landed);
  });

  // Last: start() also runs the refresh-ahead timer, which would refresh entries behind the other tests' backs.
  it('after start() the caches fill for every active workspace without any query', async () => {
    expect((await t.gateway.services.cache.entries())).toEqual([]);
    await t.gateway.start();
    const wanted = new Set(['KPI', 'VOLUME', 'INFRASTRUCTURE'].flatMap((d) => expectedKeys(t, d as 'KPI', workspaces)));
    await vi.waitFor(async () => {
      const fresh = (await t.gateway.services.cache.entries()).filter((e) => e.state === 'fresh').map((e) => e.key);
      expect(new Set(fresh)).toEqual(wanted);
    }, { timeout: 15_000, interval: 20 });
    expect(t.upstreamCalls('GET /api/workspaces/v1.1/stats')).toBe([...wanted].filter((k) => k.startsWith('stats:')).length);
    const first = await kpi(); // answered from the primed cache
    expect(first.freshness).toMatchObject({ origin: 'CACHE', state: 'FRESH' });
    expect(first.errors).toEqual([]);
  });
});
