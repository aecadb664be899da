/**
 * The cache's promises, end to end through GraphQL against the simulator, on the in-memory store
 * and on the real Redis: single-flight for a crowd of cold queries, stale-while-revalidate, and
 * stale-if-error up to an hour with per-workspace errors after that, and webhook invalidation. Time moves on a ManualClock.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock';
import { createTestGateway, DEFAULT_NOW, type TestGateway } from '../support/gateway';
import { clientWorkspaces, expectedKeys, iso, KPI_QUERY, settled, type KpiAnswer } from './resilience-support';

const STATS = 'GET /api/workspaces/v1.1/stats';
const MIN = 60_000;
const WEBHOOK_SECRET = 'resilience-webhook-secret-0123';

describe.each(['memory', 'redis'] as const)('resilience on the %s cache', (cache) => {
  const clock = new ManualClock(DEFAULT_NOW);
  let t: TestGateway;
  let workspaces: number[];

  beforeAll(async () => {
    // A short per-attempt timeout so a hanging upstream costs well under a second per resource.
    t = await createTestGateway({ database: 'postgres', clock, cache, sim: { workspaces: 6, mailboxes: 300 }, env: { UPSTREAM_TIMEOUT_MS: '1000', WEBHOOK_SECRET } });
    workspaces = await clientWorkspaces(t);
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    t.sim.control.clearFaults();
    t.sim.control.setLatency(0);
    await t.gateway.services.cache.clear(undefined, { keepFallback: false }); // a clean slate per test
    t.sim.control.resetCounters();
  });

  const kpi = async () => {
    const res = await t.query<KpiAnswer>(KPI_QUERY);
    expect(res.body.errors).toBeUndefined();
    return { ...res.body.data!.kpi, extensions: res.body.extensions };
  };
  const rowOf = (k: KpiAnswer['kpi'], ws: number) => k.clients.find((c) => c.workspaceId === ws);

  it('200 concurrent identical cold KPI queries make exactly one upstream call per resource', async () => {
    t.sim.control.setLatency(30); // keep the first fetches in flight while the crowd arrives
    const answers = await Promise.all(Array.from({ length: 200 }, () => t.query<KpiAnswer>(KPI_QUERY)));

    const keys = expectedKeys(t, 'KPI', workspaces);
    expect(t.upstreamCalls(STATS)).toBe(keys.length);
    expect(t.upstreamCalls()).toBe(keys.length);
    const perWorkspace = keys.length / workspaces.length;
    for (const ws of workspaces) expect(t.sim.control.counters().byWorkspace[String(ws)]).toBe(perWorkspace);

    const first = JSON.stringify(answers[0].body.data!.kpi.clients.map((c) => [c.workspaceId, c.leadsGenerated]));
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.body.errors).toBeUndefined();
      expect(a.body.data!.kpi.errors).toEqual([]);
      expect(a.body.data!.kpi.clients).toHaveLength(workspaces.length);
      expect(JSON.stringify(a.body.data!.kpi.clients.map((c) => [c.workspaceId, c.leadsGenerated]))).toBe(first);
    }
    // The truth: MTD interested leads of the simulator's world.
    const today = DEFAULT_NOW.slice(0, 10);
    const ws = workspaces[0];
    const row = answers[0].body.data!.kpi.clients.find((c) => c.workspaceId === ws)!;
    expect(row.leadsGenerated).toBe(t.sim.world.window(ws, `${today.slice(0, 8)}01`, today).interested);
  });

  it('answers an expired entry at once with its true age, and refreshes it once in the background', async () => {
    const filledAt = clock.now();
    const cold = await kpi();
    expect(cold.freshness).toMatchObject({ origin: 'UPSTREAM', state: 'FRESH', ageSeconds: 0, fetchedAt: iso(filledAt) });
    const keys = expectedKeys(t, 'KPI', workspaces);
    t.sim.control.resetCounters();

    clock.advance(3 * MIN); // past the 2 min KPI TTL
    t.sim.control.setLatency(50);
    const [stale, again] = await Promise.all([kpi(), kpi()]);
    for (const k of [stale, again]) {
      // Served from the old value, not the refetch: its fetch time is still the first fill.
      expect(k.freshness).toMatchObject({ origin: 'CACHE', state: 'STALE', ageSeconds: 180, fetchedAt: iso(filledAt), refreshing: true });
      expect(k.errors).toEqual([]);
      expect(k.clients).toHaveLength(workspaces.length);
      for (const c of k.clients) expect(c.freshness).toMatchObject({ state: 'STALE', ageSeconds: 180, refreshing: true });
      expect(k.extensions?.freshness).toMatchObject({ state: 'STALE', origin: 'CACHE', ageSeconds: 180, refreshing: true });
    }

    await settled(t);
    expect(t.upstreamCalls(STATS)).toBe(keys.length); // one refresh per key, however many readers
    const after = await kpi();
    expect(after.freshness).toMatchObject({ origin: 'CACHE', state: 'FRESH', ageSeconds: 0, refreshing: false, fetchedAt: iso(clock.now()) });
    expect(after.freshness.nextRefreshAt).toBe(iso(clock.now() + 2 * MIN));
    expect(t.upstreamCalls(STATS)).toBe(keys.length);
  });

  it('a webhook makes the next read refresh that workspace only', async () => {
    const target = workspaces[1];
    await kpi();
    t.sim.control.resetCounters();
    const res = await t.gateway.fetch('http://gateway.test/webhooks/email-bison', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-webhook-secret': WEBHOOK_SECRET },
      body: JSON.stringify({ event: { type: 'lead_replied', workspace_id: target }, data: {} }),
    });
    expect(res.status).toBe(202);
    const read = await kpi();
    expect(rowOf(read, target)!.freshness.refreshing).toBe(true);
    for (const ws of workspaces.filter((w) => w !== target)) expect(rowOf(read, ws)!.freshness.refreshing).toBe(false);
    await settled(t);
    expect(t.sim.control.counters().byWorkspace).toEqual({ [String(target)]: expectedKeys(t, 'KPI', [target]).length });
  });

  it('a dead upstream: STALE_CACHE for up to an hour, then an error for that workspace only', async () => {
    const [failing, hanging, ...healthy] = workspaces;
    const filledAt = clock.now();
    await kpi();

    t.sim.control.addFault({ workspaceId: failing, errorRate: 1, errorStatus: 503 });
    t.sim.control.addFault({ workspaceId: hanging, hangRate: 1 });
    clock.advance(3 * MIN);
    const swr = await kpi(); // expired: served at once, refresh in the background fails
    expect(swr.errors).toEqual([]);
    await settled(t);

    const flagged = await kpi();
    expect(flagged.errors).toEqual([]);
    expect(flagged.clients).toHaveLength(workspaces.length);
    for (const ws of [failing, hanging]) {
      const row = rowOf(flagged, ws)!;
      expect(row.freshness).toMatchObject({ origin: 'STALE_CACHE', state: 'STALE', ageSeconds: 180, fetchedAt: iso(filledAt) });
      expect(row.freshness.message).toMatch(/^served from stale cache: /);
    }
    expect(rowOf(flagged, failing)!.freshness.message).toMatch(/server error|circuit open/);
    expect(rowOf(flagged, hanging)!.freshness.message).toMatch(/timed out|circuit open/);
    for (const ws of healthy) expect(rowOf(flagged, ws)!.freshness).toMatchObject({ origin: 'CACHE', state: 'FRESH', ageSeconds: 0 });
    expect(flagged.freshness).toMatchObject({ origin: 'STALE_CACHE', state: 'STALE' });
    expect(flagged.extensions?.freshness).toMatchObject({ origin: 'STALE_CACHE', state: 'STALE' });
    expect(flagged.extensions?.freshness.message).toMatch(/served from stale cache/);

    clock.set(filledAt + 59 * MIN); // still inside stale-if-error
    const late = await kpi();
    expect(late.errors).toEqual([]);
    expect(rowOf(late, failing)!.freshness).toMatchObject({ origin: 'STALE_CACHE', state: 'VERY_STALE', ageSeconds: 59 * 60 });
    await settled(t);

    clock.set(filledAt + 61 * MIN); // the last good value is now over an hour old
    const gone = await kpi();
    expect(gone.errors.map((e) => e.workspaceId).sort((a, b) => a - b)).toEqual([failing, hanging].sort((a, b) => a - b));
    for (const e of gone.errors) expect(e).toMatchObject({ code: 'STALE_TOO_OLD', retryable: true });
    expect(gone.errors[0].message).toMatch(/over the 60 min stale-if-error limit/);
    expect(gone.clients.map((c) => c.workspaceId).sort((a, b) => a - b)).toEqual(healthy);
    await settled(t);
  });
});
