/**
 * `POST /webhooks/email-bison` through the gateway: the shared secret, the body limits, and what an
 * event does to the cache: only the named workspace's entries of the affected kind turn stale,
 * and only that workspace is fetched again. Once with the simulator's own webhook sender against
 * a listening gateway.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/clock';
import { listen } from '../../src/server/http';
import { createTestGateway, DEFAULT_NOW, type TestGateway } from '../support/gateway';
import { clientWorkspaces, expectedKeys, KPI_QUERY, settled, type KpiAnswer } from './resilience-support';

const SECRET = 'webhook-secret-for-tests-0123';
const URL_PATH = 'http://gateway.test/webhooks/email-bison';
const DASHBOARDS = `{ kpi { errors { code } } infrastructure { totals { mailboxes } errors { code } } }`;

const event = (type: string, workspaceId: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ event: { type, name: type, workspace_id: workspaceId, workspace_name: 'x', instance_url: 'http://bison.test', ...extra }, data: {} });

describe('Email Bison webhooks', () => {
  const clock = new ManualClock(DEFAULT_NOW);
  let t: TestGateway;
  let workspaces: number[];

  beforeAll(async () => {
    t = await createTestGateway({
      database: 'postgres',
      clock,
      sim: { workspaces: 6, mailboxes: 300 },
      env: { WEBHOOK_SECRET: SECRET },
      gateway: { cache: { staleDebounceMs: 500 } },
    });
    workspaces = await clientWorkspaces(t);
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.gateway.services.cache.clear(undefined, { keepFallback: false }); // a clean slate per test
    const warm = await t.query(DASHBOARDS); // every entry fresh, and watched by this read
    expect(warm.body.errors).toBeUndefined();
    t.sim.control.resetCounters();
  });

  const post = (body: string, headers: Record<string, string> = { 'x-webhook-secret': SECRET }, url = URL_PATH) =>
    t.gateway.fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const states = async () => new Map((await t.gateway.services.cache.entries()).map((e) => [e.key, e.state]));
  const staleKeys = async () => [...(await states())].filter(([, s]) => s !== 'fresh').map(([k]) => k).sort();
  /** Waits past the debounce, then until no refresh is in flight. */
  const quiet = async () => {
    await new Promise((r) => setTimeout(r, 550));
    await settled(t);
  };

  it('refuses requests without the secret, too large, not JSON or not an event; never echoes the secret', async () => {
    const ok = event('lead_interested', workspaces[0]);
    const cases: [Response, number][] = [
      [await post(ok, {}), 401],
      [await post(ok, { 'x-webhook-secret': 'wrong-secret-of-some-length' }), 401],
      [await post(ok, {}, `${URL_PATH}?secret=nope`), 401],
      [await post('x'.repeat(300 * 1024)), 413],
      [await post('{"event": '), 400],
      [await post(JSON.stringify({ event: { type: 'lead_interested' } })), 422],
      [await post(event('lead_interested', -4)), 422],
      [await t.gateway.fetch(URL_PATH, { method: 'GET', headers: { 'x-webhook-secret': SECRET } }), 405],
    ];
    for (const [res, status] of cases) {
      expect(res.status).toBe(status);
      expect(await res.text()).not.toContain(SECRET);
    }
    expect(await staleKeys()).toEqual([]);
    expect(t.upstreamCalls()).toBe(0);
  });

  it('a stats event marks that workspace\'s stats stale; the next read refreshes only that workspace', async () => {
    const [target] = workspaces;
    const res = await post(event('lead_interested', target));
    expect(res.status).toBe(202);
    const ownStats = expectedKeys(t, 'KPI', [target]);
    expect(await res.json()).toMatchObject({ accepted: true, type: 'lead_interested', workspaceId: target, affects: ['stats'], marked: ownStats.length });
    expect(await staleKeys()).toEqual([...ownStats].sort()); // its mailboxes and every other workspace stay fresh

    const read = await t.query<KpiAnswer>(KPI_QUERY);
    const row = read.body.data!.kpi.clients.find((c) => c.workspaceId === target)!;
    expect(row.freshness).toMatchObject({ origin: 'CACHE', refreshing: true });
    await quiet();
    // Refreshed once (the read and the debounced webhook refresh share one flight), nobody else fetched.
    expect(t.sim.control.counters().byWorkspace).toEqual({ [String(target)]: ownStats.length });
    expect(await staleKeys()).toEqual([]);
  });

  it('a mailbox event marks only that workspace\'s mailbox list; secret in the query works too', async () => {
    const target = workspaces[1];
    const res = await post(event('email_account_disconnected', target), {}, `${URL_PATH}?secret=${SECRET}`);
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ affects: ['sender-emails'], marked: 1 });
    expect(await staleKeys()).toEqual([`sender-emails:${target}`]);
    await t.query(DASHBOARDS);
    await quiet();
    expect(t.sim.control.counters().byWorkspace).toEqual({ [String(target)]: t.upstreamCalls('GET /api/sender-emails') });
    expect(t.upstreamCalls('GET /api/workspaces/v1.1/stats')).toBe(0);
  });

  it('unknown event types and unknown workspaces are accepted and change nothing', async () => {
    const unknownType = await post(event('campaign_paused', workspaces[0]));
    expect(unknownType.status).toBe(202);
    expect(await unknownType.json()).toMatchObject({ affects: [], marked: 0 });
    const forged = await post(event('lead_interested', 99_999));
    expect(forged.status).toBe(202);
    expect(await forged.json()).toMatchObject({ affects: ['stats'], marked: 0 });
    await quiet();
    expect(await staleKeys()).toEqual([]);
    expect(t.upstreamCalls()).toBe(0);
  });

  it('a burst of events for a watched workspace causes one refresh, without any read', async () => {
    const target = workspaces[2];
    for (let i = 0; i < 10; i++) expect((await post(event('email_sent', target))).status).toBe(202);
    await vi.waitFor(async () => expect(await staleKeys()).toEqual([]), { timeout: 5_000, interval: 20 });
    await quiet();
    const ownStats = new Set([...expectedKeys(t, 'KPI', [target]), ...expectedKeys(t, 'VOLUME', [target])].filter((k) => k.startsWith('stats:')));
    const warmStats = [...(await states()).keys()].filter((k) => ownStats.has(k));
    expect(t.sim.control.counters().byWorkspace).toEqual({ [String(target)]: warmStats.length });
  });

  it('the simulator\'s webhook sender reaches a listening gateway, and the next read shows the new lead', async () => {
    const target = workspaces[3];
    const server = await listen(t.gateway.handle, 0, '127.0.0.1');
    try {
      const leadsOf = async () => (await t.query<KpiAnswer>(KPI_QUERY)).body.data!.kpi.clients.find((c) => c.workspaceId === target)!.leadsGenerated;
      const before = await leadsOf();
      t.sim.control.subscribeWebhooks({ url: `${server.url}/webhooks/email-bison`, secret: SECRET, secretHeader: 'X-Webhook-Secret' });
      const deliveries = await t.sim.control.sendWebhook('lead_interested', { workspaceId: target });
      expect(deliveries.map((d) => d.status)).toEqual([202]);
      await leadsOf(); // the stale value, while the refresh runs
      await quiet();
      expect(await leadsOf()).toBe(before + 1);
      expect(Object.keys(t.sim.control.counters().byWorkspace)).toEqual([String(target)]);
    } finally {
      t.sim.control.subscribeWebhooks(null);
      await server.close();
    }
  });
});
