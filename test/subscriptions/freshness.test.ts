/**
 * `freshnessChanged` end to end with real clients on a real port: a webhook from the simulator
 * reaches a graphql-ws subscriber as a landed refresh; ageing (STALE, VERY_STALE) is pushed over
 * SSE without anyone reading; a CLIENT token hears only its own workspace; auth over WebSocket
 * works the three ways clients send it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ManualClock } from '../../src/clock';
import { createTestGateway, type TestGateway } from '../support/gateway';
import { eventually, serve, sseSubscribe, wsClient, wsSubscribe, type Served } from './clients';

const SECRET = 'webhook-secret-0123456789';
const FRESHNESS = `subscription($dashboard: DashboardKind) {
  freshnessChanged(dashboard: $dashboard) { dashboard workspaceId resource freshness { state origin ageSeconds } }
}`;
type Event = { freshnessChanged: { dashboard: string; workspaceId: number | null; resource: string; freshness: { state: string; origin: string; ageSeconds?: number } } };

describe('freshnessChanged over graphql-ws and SSE', () => {
  let t: TestGateway;
  let served: Served;
  let workspaces: number[];
  const listeners = () => t.gateway.events.stats().listeners;

  beforeAll(async () => {
    t = await createTestGateway({
      sim: { workspaces: 4, mailboxes: 60 },
      env: { WEBHOOK_SECRET: SECRET },
      gateway: { cache: { staleDebounceMs: 20 } },
    });
    served = await serve(t);
    const kpi = await t.query('{ kpi { clients { workspaceId } } }');
    workspaces = kpi.body.data.kpi.clients.map((c: { workspaceId: number }) => c.workspaceId);
    expect(workspaces.length).toBeGreaterThanOrEqual(2);
  });
  // Every test ends with its subscriptions gone: no listener outlives its client.
  afterEach(() => eventually(() => listeners() === 0, 5_000, 'no listener left'));
  afterAll(async () => {
    await served.close();
    await t.close();
  });

  it('starts with the current freshness of each workspace, then a webhook reaches it as the stale mark and the landed refresh of that workspace only', async () => {
    const [target] = workspaces;
    const client = wsClient(served.wsUrl);
    const sub = wsSubscribe<Event>(client, `subscription { freshnessChanged(dashboard: KPI) { workspaceId freshness { state origin } } }`);
    // The current value first: one event per followed workspace, each as the KPI row shows it now.
    await eventually(() => sub.values.length === workspaces.length, 5_000, 'the current value of every workspace');
    expect(sub.values.map((e) => e.freshnessChanged.workspaceId).sort()).toEqual([...workspaces].sort());
    expect(sub.values.every((e) => e.freshnessChanged.freshness.state === 'FRESH' && e.freshnessChanged.freshness.origin === 'CACHE')).toBe(true);
    const initial = sub.values.length;
    const statsCalls = t.upstreamCalls('GET /api/workspaces/v1.1/stats');

    t.sim.control.subscribeWebhooks({ url: `${served.url}/webhooks/email-bison`, secret: SECRET });
    await t.sim.control.sendWebhook('lead_interested', { workspaceId: target });

    // The entries are marked stale, then the (debounced) refresh lands with new upstream data; a
    // subscriber hears that workspace only, at most once per change it can see (coalesced).
    await sub.waitFor((e) => e.freshnessChanged.workspaceId === target && e.freshnessChanged.freshness.origin === 'UPSTREAM', 1_000);
    const after = sub.values.slice(initial).map((e) => e.freshnessChanged);
    expect(after.every((e) => e.workspaceId === target)).toBe(true);
    expect(after.length).toBeLessThanOrEqual(2);
    expect(after.at(-1)!.freshness).toEqual({ state: 'FRESH', origin: 'UPSTREAM' });
    if (after.length === 2) expect(after[0].freshness).toEqual({ state: 'STALE', origin: 'CACHE' });
    expect(t.upstreamCalls('GET /api/workspaces/v1.1/stats')).toBeGreaterThan(statsCalls);
    t.sim.control.subscribeWebhooks(null);
    await sub.close();
    await client.dispose();
  });

  it('a CLIENT token hears only about its own workspace, and may not follow revenue', async () => {
    const [own, other] = workspaces;
    const minted = await t.query(`mutation { createApiToken(role: CLIENT, workspaceId: ${own}) }`);
    const token = minted.body.data.createApiToken as string;
    const adminClient = wsClient(served.wsUrl);
    const clientClient = wsClient(served.wsUrl, token);
    const before = listeners();
    const admin = wsSubscribe<Event>(adminClient, FRESHNESS);
    const scoped = wsSubscribe<Event>(clientClient, FRESHNESS);
    await eventually(() => listeners() >= before + 2, 5_000, 'both subscriptions registered');

    await t.query(`mutation { refresh(dashboard: KPI, workspaceId: ${other}) { state } }`);
    await admin.waitFor((e) => e.freshnessChanged.workspaceId === other);
    await t.query(`mutation { refresh(dashboard: KPI, workspaceId: ${own}) { state } }`);
    await scoped.waitFor((e) => e.freshnessChanged.workspaceId === own);
    await admin.waitFor((e) => e.freshnessChanged.workspaceId === own);

    // Events are delivered in order, so the other workspace's events came (to the admin) first.
    expect(scoped.values.length).toBeGreaterThan(0);
    expect(scoped.values.every((e) => e.freshnessChanged.workspaceId === own)).toBe(true);
    expect(scoped.values.some((e) => e.freshnessChanged.dashboard === 'REVENUE')).toBe(false);
    expect(admin.values.some((e) => e.freshnessChanged.dashboard === 'REVENUE')).toBe(true);

    const revenue = wsSubscribe(clientClient, `subscription { freshnessChanged(dashboard: REVENUE) { workspaceId } }`);
    await eventually(() => revenue.errors.length > 0, 5_000, 'revenue refused');
    expect(JSON.stringify(revenue.errors)).toContain('FORBIDDEN');
    await Promise.all([admin.close(), scoped.close(), revenue.close()]);
    await Promise.all([adminClient.dispose(), clientClient.dispose()]);
  });

  it('authenticates WebSockets by connectionParams, upgrade header or per-operation headers (GraphiQL), and refuses the rest', async () => {
    const graphiql = wsClient(served.wsUrl, null, { connectionParams: {} });
    const healthQuery = '{ health { score } }';
    const run = (client: ReturnType<typeof wsClient>, extensions?: Record<string, unknown>) =>
      new Promise<{ data?: unknown; errors?: unknown }>((resolve) => {
        client.subscribe({ query: healthQuery, extensions }, { next: (r) => resolve(r as never), error: (e) => resolve({ errors: e }), complete: () => {} });
      });
    expect(await run(graphiql)).toMatchObject({ errors: [expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })] });
    expect(await run(graphiql, { headers: { Authorization: 'Bearer test-admin-token-0123456789abcdef' } })).toMatchObject({ data: { health: { score: expect.any(Number) } } });
    await graphiql.dispose();

    const { default: WebSocket } = await import('ws');
    class WithHeader extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers: { authorization: 'Bearer test-admin-token-0123456789abcdef' } });
      }
    }
    const byHeader = wsClient(served.wsUrl, null, { connectionParams: {}, webSocketImpl: WithHeader });
    expect(await run(byHeader)).toMatchObject({ data: { health: { score: expect.any(Number) } } });
    await byHeader.dispose();

    const wrong = wsClient(served.wsUrl, 'not-a-valid-token');
    const outcome = await run(wrong);
    expect((outcome.errors as { code?: number }).code).toBe(4403);
    await wrong.dispose();

    const sse = sseSubscribe(served.url, FRESHNESS, null);
    expect(await sse.status).toBe(401);
    await sse.close();
  });

  it('healthChanged starts with the current health, then pushes a new reading when the monitor reports a change', async () => {
    const client = wsClient(served.wsUrl);
    const sub = wsSubscribe<{ healthChanged: { score: number; status: string } }>(client, 'subscription { healthChanged { score status } }');
    const first = await sub.waitFor(() => true);
    expect(first.healthChanged.status).toMatch(/HEALTHY|DEGRADED|UNHEALTHY/);
    t.gateway.events.pubsub.publish('health', { score: 40, status: 'degraded' });
    await eventually(() => sub.values.length === 2, 5_000, 'a second reading after the change');
    expect(sub.values[1].healthChanged.score).toEqual(expect.any(Number));
    await sub.close();
    await client.dispose();
  });

  it('pushes STALE and then VERY_STALE over SSE as entries age, with nobody reading', async () => {
    const clock = t.clock as ManualClock;
    await t.query('mutation { refresh(dashboard: KPI) { state } }');
    const before = listeners();
    const sub = sseSubscribe<Event>(served.url, `subscription { freshnessChanged(dashboard: KPI) { workspaceId freshness { state origin ageSeconds } } }`);
    await eventually(() => listeners() > before, 5_000, 'subscription registered');

    clock.advance(3 * 60_000);
    const stale = await sub.waitFor((e) => e.freshnessChanged.freshness.state === 'STALE');
    expect(stale.freshnessChanged.freshness.ageSeconds).toBeGreaterThanOrEqual(180);
    clock.advance(8 * 60_000);
    const veryStale = await sub.waitFor((e) => e.freshnessChanged.freshness.state === 'VERY_STALE');
    expect(veryStale.freshnessChanged.freshness.origin).toBe('CACHE');
    // Every KPI workspace aged, not just one.
    const aged = new Set(sub.values.filter((e) => e.freshnessChanged.freshness.state === 'VERY_STALE').map((e) => e.freshnessChanged.workspaceId));
    await eventually(() => {
      for (const e of sub.values) if (e.freshnessChanged.freshness.state === 'VERY_STALE') aged.add(e.freshnessChanged.workspaceId);
      return aged.size === workspaces.length;
    }, 5_000, 'every workspace VERY_STALE');
    await sub.close();
  });
});
