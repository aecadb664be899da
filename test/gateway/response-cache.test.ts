/**
 * The response cache in front of execution (src/server/response-cache.ts), over node:http where
 * its front door is: a hit is what executing the query at that instant gives (compared byte for
 * byte with `gateway.fetch`, which always executes), and anything an answer read changing (a
 * refresh, a webhook, `clearCache`, a registry write) shows on the next read, even on a frozen
 * ManualClock where only invalidation can end a cached answer. `ageSeconds` stays exact as the
 * clock moves by fractions of a second. ETag/304, mutations, the per-token rate limit on hits.
 * Once on the in-memory store and once on the real Redis; then two replicas on one Redis.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock';
import { startSimulator, type Simulator } from '../../src/simulator';
import { dropSchema } from '../../src/sources/db';
import { TEST_DATABASE_URL } from '../support/databases';
import { ADMIN_TOKEN, createTestGateway, DEFAULT_NOW, type TestGateway } from '../support/gateway';
import { clientWorkspaces, KPI_QUERY, settled, type KpiAnswer } from './resilience-support';

const SECRET = 'webhook-secret-for-tests-0123';
const KPI_BODY = JSON.stringify({ query: KPI_QUERY });
const REVENUE = '{ revenue { totals { costs profit } clients { workspaceId costs } } }';
const CLEAR = 'mutation { clearCache }';
const REFRESH = 'mutation ($ws: Int) { refresh(dashboard: KPI, workspaceId: $ws) { state } }';

/** Response-cache outcomes counted so far (bison_response_cache_requests_total). */
async function outcomes(t: TestGateway): Promise<Record<string, number>> {
  const { values } = await t.gateway.services.metrics.responseCacheRequests.get();
  return Object.fromEntries(values.map((v) => [String(v.labels.outcome), v.value]));
}

/** What executing the query now gives: `gateway.fetch` never goes through the front door. */
async function executed(t: TestGateway, body: string): Promise<string> {
  const res = await t.gateway.fetch('http://gateway.test/graphql', {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` }, body,
  });
  return res.text();
}

/** A read over HTTP: its body, and whether the response cache answered it. */
async function read(t: TestGateway, body = KPI_BODY, headers: Record<string, string> = {}) {
  const before = (await outcomes(t)).hit;
  const res = await t.post(body, headers);
  const text = await res.text();
  return { res, text, hit: (await outcomes(t)).hit > before };
}

const kpiOf = (text: string) => (JSON.parse(text) as { data: KpiAnswer }).data.kpi;

describe.each(['memory', 'redis'] as const)('the response cache (%s store)', (cache) => {
  const clock = new ManualClock(DEFAULT_NOW);
  let t: TestGateway;
  let workspaces: number[];

  beforeAll(async () => {
    t = await createTestGateway({ http: true, clock, cache, sim: { workspaces: 5, mailboxes: 60 }, env: { WEBHOOK_SECRET: SECRET }, gateway: { cache: { staleDebounceMs: 50 } } });
    workspaces = await clientWorkspaces(t);
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.gateway.services.cache.clear(undefined, { keepFallback: false });
    await read(t); // cold: the answer's own fetches changed what it read, so it is not kept
    await settled(t);
  });

  /** Reads until the response cache holds the answer, then checks the next read is a hit. */
  async function warm(body = KPI_BODY): Promise<string> {
    await read(t, body); // cold for what this dashboard alone reads
    await settled(t);
    await read(t, body);
    const second = await read(t, body);
    expect(second.hit).toBe(true);
    return second.text;
  }

  it('serves a warm answer from the cache, byte for byte what execution gives', async () => {
    const first = await read(t);
    expect(first.res.status).toBe(200);
    const second = await read(t);
    expect(second.hit).toBe(true);
    expect(second.text).toBe(first.text);
    expect(second.text).toBe(await executed(t, KPI_BODY));
    expect(second.res.headers.get('content-type')).toBe(first.res.headers.get('content-type'));
  });

  it('a refresh that lands between two reads shows its new numbers on the next read', async () => {
    const [target] = workspaces;
    const leadsOf = (text: string) => kpiOf(text).clients.find((c) => c.workspaceId === target)!.leadsGenerated;
    const before = leadsOf(await warm());
    await t.sim.control.sendWebhook('lead_interested', { workspaceId: target }); // the data changes upstream (nobody is told)
    expect(leadsOf((await read(t)).text)).toBe(before); // nobody told the gateway: the cached numbers are still the truth it has
    expect((await t.query(REFRESH, { ws: target })).body.errors).toBeUndefined();
    const after = await read(t);
    expect(after.hit).toBe(false);
    expect(leadsOf(after.text)).toBe(before + 1);
    expect(after.text).toBe(await executed(t, KPI_BODY));
  });

  it('a webhook marking an entry stale invalidates the answers that read it', async () => {
    const [, target] = workspaces;
    await warm();
    const hook = await t.gateway.fetch('http://gateway.test/webhooks/email-bison', {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-webhook-secret': SECRET },
      body: JSON.stringify({ event: { type: 'lead_interested', name: 'lead_interested', workspace_id: target, workspace_name: 'x', instance_url: 'http://bison.test' }, data: {} }),
    });
    expect(hook.status).toBe(202);
    const after = await read(t);
    expect(after.hit).toBe(false);
    const row = kpiOf(after.text).clients.find((c) => c.workspaceId === target)!;
    expect(row.freshness.state).toBe('STALE');
    await settled(t);
  });

  it('clearCache invalidates: the next read waits for the upstream again', async () => {
    await warm();
    t.sim.control.resetCounters();
    expect((await t.query(CLEAR)).body.data.clearCache).toBeGreaterThan(0);
    const after = await read(t);
    expect(after.hit).toBe(false);
    expect(kpiOf(after.text).freshness.origin).toBe('UPSTREAM');
    expect(t.upstreamCalls()).toBeGreaterThan(0);
  });

  it('a registry edit invalidates: the new target and the new cost show on the next read', async () => {
    const [target] = workspaces;
    const kpiBody = JSON.stringify({ query: '{ kpi { clients { workspaceId monthlyKpi } } }' });
    const revenueBody = JSON.stringify({ query: REVENUE });
    await warm(kpiBody);
    await warm(revenueBody);
    const upsert = await t.query('mutation ($ws: Int!) { upsertClient(input: { workspaceId: $ws, monthlyKpiTarget: 4321 }) { workspaceId } }', { ws: target });
    expect(upsert.body.errors).toBeUndefined();
    const kpi = await read(t, kpiBody);
    expect(kpi.hit).toBe(false);
    expect((JSON.parse(kpi.text).data.kpi.clients as { workspaceId: number; monthlyKpi: number }[]).find((c) => c.workspaceId === target)!.monthlyKpi).toBe(4321);

    const month = DEFAULT_NOW.slice(0, 7);
    const cost = await t.query('mutation ($ws: Int!, $m: String!) { setMonthlyCost(workspaceId: $ws, month: $m, amount: 777.25) { amount } }', { ws: target, m: month });
    expect(cost.body.errors).toBeUndefined();
    const revenue = await read(t, revenueBody);
    expect(revenue.hit).toBe(false);
    expect(revenue.text).toBe(await executed(t, revenueBody));
    expect((JSON.parse(revenue.text).data.revenue.clients as { workspaceId: number; costs: number }[]).find((c) => c.workspaceId === target)!.costs).toBe(777.25);
  });

  it('If-None-Match with the ETag gets 304 and no body; another ETag gets the answer', async () => {
    const body = await warm();
    const { res } = await read(t);
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    const notModified = await read(t, KPI_BODY, { 'if-none-match': etag });
    expect(notModified.hit).toBe(true);
    expect(notModified.res.status).toBe(304);
    expect(notModified.text).toBe('');
    expect(notModified.res.headers.get('etag')).toBe(etag);
    const other = await read(t, KPI_BODY, { 'if-none-match': '"something-else"' });
    expect(other.res.status).toBe(200);
    expect(other.text).toBe(body);
    expect(other.res.headers.get('etag')).toBe(etag);
    // The ETag is the content's: computed again (a refresh landed the same data at the same,
    // frozen, instant), the same bytes carry the same ETag, and the old one still gets 304 on a miss.
    expect((await t.query(REFRESH, {})).body.errors).toBeUndefined();
    const recomputed = await read(t, KPI_BODY, { 'if-none-match': etag });
    expect(recomputed.hit).toBe(false);
    expect(recomputed.res.status).toBe(304);
    const plain = await read(t);
    expect(plain.text).toBe(body);
    expect(plain.res.headers.get('etag')).toBe(etag);
  });

  it('mutations are never cached', async () => {
    expect((await read(t, JSON.stringify({ query: CLEAR }))).text).toMatch(/"clearCache":[1-9]/);
    await read(t); // refetch
    await settled(t);
    const second = await read(t, JSON.stringify({ query: CLEAR }));
    expect(second.hit).toBe(false);
    expect(JSON.parse(second.text).data.clearCache).toBeGreaterThan(0); // executed again: it cleared what the read refetched
    expect(second.res.headers.get('etag')).toBeNull();
  });

  it('ageSeconds is exact as the clock moves by fractions of a second', async () => {
    await t.gateway.services.cache.clear(undefined, { keepFallback: false });
    const second = clock.now();
    clock.advance(300); // the upstream answers 0.3 s into a second: recorded as that whole second
    await read(t);
    await settled(t);
    const ages = async () => {
      const r = await read(t);
      const kpi = kpiOf(r.text);
      expect(r.text).toBe(await executed(t, KPI_BODY)); // what execution at this instant gives
      expect(kpi.freshness.fetchedAt).toBe(new Date(second).toISOString());
      const extension = (JSON.parse(r.text) as { extensions: { freshness: { ageSeconds: number } } }).extensions.freshness.ageSeconds;
      return { hit: r.hit, age: kpi.freshness.ageSeconds, rows: new Set([extension, ...kpi.clients.map((c) => c.freshness.ageSeconds)]) };
    };
    await ages();
    expect(await ages()).toEqual({ hit: true, age: 0, rows: new Set([0]) });
    clock.advance(500); // 0.8 s into the second
    expect(await ages()).toEqual({ hit: true, age: 0, rows: new Set([0]) });
    clock.advance(199); // 0.999 s
    expect(await ages()).toEqual({ hit: true, age: 0, rows: new Set([0]) });
    clock.advance(1); // the next second: a new age, from a new answer
    expect(await ages()).toEqual({ hit: false, age: 1, rows: new Set([1]) });
    expect(await ages()).toEqual({ hit: true, age: 1, rows: new Set([1]) });
    clock.advance(900); // computed at 1.0 s, served at 1.9 s: still exact
    expect(await ages()).toEqual({ hit: true, age: 1, rows: new Set([1]) });
    clock.advance(61_000); // 62.9 s
    expect(await ages()).toEqual({ hit: false, age: 62, rows: new Set([62]) });
    expect(await ages()).toEqual({ hit: true, age: 62, rows: new Set([62]) });
    clock.advance(99);
    expect(await ages()).toEqual({ hit: true, age: 62, rows: new Set([62]) });
    clock.advance(1);
    expect(await ages()).toEqual({ hit: false, age: 63, rows: new Set([63]) });
  });

  it('a rate-limited token gets 429 even when the answer is cached', async () => {
    const limited = await createTestGateway({ http: true, clock, cache, simulator: t.sim, env: { RATE_LIMIT_PER_MINUTE: '4' } });
    try {
      await read(limited); // 1: cold
      await read(limited); // 2: kept
      expect((await read(limited)).hit).toBe(true); // 3
      expect((await read(limited)).hit).toBe(true); // 4: the last request in the bucket
      const refused = await read(limited);
      expect(refused.res.status).toBe(429);
      expect(refused.res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(JSON.parse(refused.text).errors[0].extensions.code).toBe('RATE_LIMITED');
      expect(refused.hit).toBe(false);
    } finally {
      await limited.close();
    }
  });
});

describe('two replicas on one Redis', () => {
  const clock = new ManualClock(DEFAULT_NOW);
  const dbSchema = `gw_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const cachePrefix = `bgw-test:${randomUUID().slice(0, 8)}`;
  let sim: Simulator;
  let a: TestGateway;
  let b: TestGateway;
  let workspaces: number[];

  beforeAll(async () => {
    sim = await startSimulator({ clock, seed: 'test', rateLimit: false, workspaces: 4, mailboxes: 40 });
    const env = { ENCRYPTION_KEY: randomBytes(32).toString('base64') };
    const shared = { clock, simulator: sim, database: 'postgres' as const, cache: 'redis' as const, dbSchema, cachePrefix, env, http: true };
    a = await createTestGateway(shared);
    b = await createTestGateway(shared);
    workspaces = await clientWorkspaces(a);
  });
  afterAll(async () => {
    await a?.gateway.services.cache.clear(undefined, { keepFallback: false }); // the shared prefix is ours to clean up
    await a?.close();
    await b?.close();
    await sim?.close();
    await dropSchema(TEST_DATABASE_URL, dbSchema);
  });

  /** Until `check` holds (pub/sub crosses Redis asynchronously). */
  async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`not within 10 s: ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('a refresh on replica A invalidates the answer replica B holds; clearCache and registry edits too', async () => {
    const [target] = workspaces;
    const leadsOf = (text: string) => kpiOf(text).clients.find((c) => c.workspaceId === target)!.leadsGenerated;
    await read(b);
    await settled(b);
    await read(b);
    const cached = await read(b);
    expect(cached.hit).toBe(true);
    const before = leadsOf(cached.text);

    await sim.control.sendWebhook('lead_interested', { workspaceId: target });
    expect((await a.query(REFRESH, { ws: target })).body.errors).toBeUndefined();
    await eventually(async () => leadsOf((await read(b)).text) === before + 1, 'B shows the refresh A made');

    // B holds the new answer again; A clears the cache: B's next read waits for a refetch.
    await read(b);
    expect((await read(b)).hit).toBe(true);
    expect((await a.query(CLEAR)).body.data.clearCache).toBeGreaterThan(0);
    await eventually(async () => {
      const r = await read(b);
      return !r.hit && kpiOf(r.text).freshness.origin === 'UPSTREAM';
    }, 'B refetches after A cleared the cache');
    await settled(a);
    await settled(b);

    // A registry write on A: B's cached answer goes, and B shows the new target at once.
    const body = JSON.stringify({ query: '{ kpi { clients { workspaceId monthlyKpi } } }' });
    await read(b, body);
    expect((await read(b, body)).hit).toBe(true);
    await a.query('mutation ($ws: Int!) { upsertClient(input: { workspaceId: $ws, monthlyKpiTarget: 987 }) { workspaceId } }', { ws: target });
    await eventually(async () => {
      const r = await read(b, body);
      return (JSON.parse(r.text).data.kpi.clients as { workspaceId: number; monthlyKpi: number }[]).find((c) => c.workspaceId === target)!.monthlyKpi === 987;
    }, 'B shows the target A set');
  });
});
