/**
 * The abuse suite: who may ask, what a CLIENT token can reach (by id, alias, fragment, filter,
 * subscription, refresh), requests too big or too deep to be worth reading (also when the size
 * comes in a variable), errors that would echo a huge input, 200 seeded random inputs, production
 * rules (introspection for ADMIN only, an unauthenticated flood limited before the database), and at
 * the end a search of every response and log line for the stored Email Bison keys. One gateway
 * (small world) for most of the file, a production one for its rules; tests run in order and the
 * last one searches.
 */
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManualClock } from '../../src/clock';
import { createLogger } from '../../src/monitoring/logger';
import { listen } from '../../src/server/http';
import { ADMIN_TOKEN, createTestGateway, type TestGateway } from '../support/gateway';
import { eventually, serve, wsClient, wsSubscribe } from '../subscriptions/clients';
import { fuzzCases } from './fuzz';
import { client, codes, ENDPOINT, Evidence, INTERNALS, sseReader, workspaceIdsIn, type Answer } from './support';

const ALLOWED_CODES = new Set(['BAD_USER_INPUT', 'FORBIDDEN', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'BAD_REQUEST']);

describe('abuse', () => {
  const evidence = new Evidence();
  let t: TestGateway;
  let api: ReturnType<typeof client>;
  let own: number;
  let other: number;
  let otherName: string;
  let clientToken: string;
  let revokedToken: string;

  const asAdmin = (q: string, v?: Record<string, unknown>) => api.gql(ADMIN_TOKEN, q, v);
  const asClient = (q: string, v?: Record<string, unknown>) => api.gql(clientToken, q, v);

  /** A refusal: the expected code, no data for the refused part, no internals in any message. */
  function expectRefused(a: Answer, code: string) {
    expect(codes(a)).toContain(code);
    for (const e of a.body.errors) expect(e.message).not.toMatch(INTERNALS);
  }

  beforeAll(async () => {
    t = await createTestGateway({
      sim: { workspaces: 4, mailboxes: 160 },
      env: { RATE_LIMIT_PER_MINUTE: '100000' },
      gateway: { logger: createLogger('debug', evidence.logSink) },
    });
    api = client(t, evidence);
    const kpi = await asAdmin('{ kpi { clients { workspaceId name } } }');
    const rows = kpi.body.data.kpi.clients as { workspaceId: number; name: string }[];
    [own, other] = rows.map((r) => r.workspaceId).sort((a, b) => a - b);
    otherName = rows.find((r) => r.workspaceId === other)!.name;
    const mint = (label: string) => asAdmin('mutation($w: Int, $l: String) { createApiToken(role: CLIENT, workspaceId: $w, label: $l) }', { w: own, l: label });
    clientToken = (await mint('abuse-client')).body.data.createApiToken;
    revokedToken = (await mint('abuse-revoked')).body.data.createApiToken;
    const revokedId = (await t.gateway.services.tokens.list()).find((x) => x.label === 'abuse-revoked')!.id;
    expect((await asAdmin('mutation($id: Int!) { revokeApiToken(id: $id) }', { id: revokedId })).body.data.revokeApiToken).toBe(true);
  });
  afterAll(() => t?.close());

  describe('who is asking', () => {
    it.each([
      ['no token', null],
      ['a wrong token', 'bgw_' + 'A'.repeat(43)],
      ['the admin token with a suffix', ADMIN_TOKEN + 'x'],
      ['an empty bearer', ''],
    ])('%s gets 401 and no data', async (_label, token) => {
      const a = await api.gql(token, '{ kpi { clients { workspaceId name leadsGenerated } } }');
      expect(a.status).toBe(401);
      expect(a.body.data).toBeUndefined();
      expect(codes(a)).toEqual(['UNAUTHENTICATED']);
    });

    it('a revoked token gets 401', async () => {
      const a = await api.gql(revokedToken, '{ kpi { totals { clients } } }');
      expect(a.status).toBe(401);
    });

    it('Basic auth is not a bearer token', async () => {
      const a = await api.send({ method: 'POST', headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from('admin:' + ADMIN_TOKEN).toString('base64')}` }, body: '{"query":"{ health { score } }"}' });
      expect(a.status).toBe(401);
    });
  });

  describe('a CLIENT token sees only its own workspace', () => {
    it('in every dashboard row, aggregate, list and cache entry', async () => {
      const query = `{
        kpi { clients { workspaceId name } totals { clients } warnings { workspaceId } errors { workspaceId } }
        kpiStream { workspaceId name }
        volume { clients { workspaceId name } warnings { workspaceId } }
        infrastructure {
          totals { mailboxes }
          byWorkspace { workspaceId key mailboxes } byProvider { key mailboxes } silentMailboxes { workspaceId email }
          mailboxes(first: 500) { totalCount edges { node { workspaceId email } } }
          warnings { workspaceId } errors { workspaceId }
        }
        workspaces { workspaceId name }
        cacheStats { workspaceId key breaker { workspaceId } }
      }`;
      const [mine, all] = [await asClient(query), await asAdmin(query)];
      expect(mine.body.errors).toBeUndefined();
      expect([...workspaceIdsIn(mine.body.data)]).toEqual([own]);
      expect(mine.text).not.toContain(otherName);
      expect(mine.body.data.kpi.totals.clients).toBe(1);
      // The aggregates are the own workspace's numbers, not everyone's.
      const ownGroup = all.body.data.infrastructure.byWorkspace.find((g: any) => g.workspaceId === own);
      expect(mine.body.data.infrastructure.totals.mailboxes).toBe(ownGroup.mailboxes);
      expect(all.body.data.infrastructure.totals.mailboxes).toBeGreaterThan(ownGroup.mailboxes);
      const providerSum = mine.body.data.infrastructure.byProvider.reduce((n: number, g: any) => n + g.mailboxes, 0);
      expect(providerSum).toBe(ownGroup.mailboxes);
      expect(mine.body.data.workspaces).toEqual([{ workspaceId: own, name: expect.any(String) }]);
      // Cache entries exist for every workspace (loaded above); the client lists its own only.
      expect(mine.body.data.cacheStats.length).toBeGreaterThan(0);
      expect(all.body.data.cacheStats.some((e: any) => e.workspaceId === other)).toBe(true);
    });

    it('never revenue: directly, by alias, by fragment or by inline fragment', async () => {
      for (const q of [
        '{ revenue { totals { revenue } } }',
        '{ k: kpi { totals { clients } } money: revenue(month: "2026-10") { clients { workspaceId revenue } } }',
        'query { ...R } fragment R on Query { revenue { clients { workspaceId revenue profit } } }',
        '{ ... on Query { revenue { totals { profit } } } }',
      ]) {
        const a = await asClient(q);
        expectRefused(a, 'FORBIDDEN');
        expect(a.text).not.toMatch(/"(revenue|profit)":\s*\d/);
      }
    });

    it('another workspace by filter, by refresh, or a revenue refresh is FORBIDDEN', async () => {
      expectRefused(await asClient(`{ infrastructure { mailboxes(filter: { workspaceId: ${other} }) { totalCount edges { node { email } } } } }`), 'FORBIDDEN');
      expectRefused(await asClient(`mutation { refresh(dashboard: KPI, workspaceId: ${other}) { state } }`), 'FORBIDDEN');
      expectRefused(await asClient('mutation($w: Int) { a: refresh(dashboard: VOLUME, workspaceId: $w) { state } }', { w: other }), 'FORBIDDEN');
      expectRefused(await asClient(`mutation { refresh(dashboard: REVENUE, workspaceId: ${own}) { state } }`), 'FORBIDDEN');
    });

    it('a refresh without a workspace touches only its own upstream data', async () => {
      const before = { ...t.sim.control.counters().byWorkspace };
      const a = await asClient('mutation { refresh(dashboard: INFRASTRUCTURE) { state } }');
      expect(a.body.errors).toBeUndefined();
      const after = t.sim.control.counters().byWorkspace;
      expect(after[String(own)]).toBeGreaterThan(before[String(own)] ?? 0);
      expect(after[String(other)] ?? 0).toBe(before[String(other)] ?? 0);
    });

    it('admin-only fields and mutations are FORBIDDEN', async () => {
      for (const q of [
        '{ health { score breakers { workspaceId endpoint } } }',
        '{ clients { workspaceId hasApiKey } }',
        `mutation { createApiToken(role: CLIENT, workspaceId: ${other}) }`,
        'mutation { createApiToken(role: ADMIN) }',
        `mutation { upsertClient(input: { workspaceId: ${own}, monthlyKpiTarget: 1 }) { workspaceId } }`,
        'mutation { clearCache }',
        `mutation { setMonthlyCost(workspaceId: ${own}, month: "2026-11", amount: 1) { amount } }`,
        'mutation { revokeApiToken(id: 1) }',
      ]) expectRefused(await asClient(q), 'FORBIDDEN');
      const health = await asClient('{ health { score status } }');
      expect(health.body.errors).toBeUndefined();
      // Detail that may name workspaces is refused field by field; the score itself still answers.
      const detail = await asClient('{ health { score issues breakers { workspaceId } } }');
      expect(detail.body.errors?.map((e: { extensions?: { code?: string } }) => e.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
      expect(detail.body.data?.health).toMatchObject({ issues: null, breakers: null });
      expect(typeof detail.body.data?.health.score).toBe('number');
    });

    it('hears about its own workspace over SSE, never about another one', async () => {
      const res = await t.gateway.fetch(ENDPOINT, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${clientToken}` },
        body: JSON.stringify({ query: 'subscription { freshnessChanged { dashboard workspaceId resource } }' }),
      });
      expect(res.status).toBe(200);
      const events = sseReader(res.body!);
      try {
        // The subscription starts when the stream is first read; a first own event proves it is live
        // before the other workspace changes. Refresh until one arrives (the wait is only a guard).
        const first = events.next();
        let live: any = null;
        for (let attempt = 0; attempt < 20 && !live; attempt++) {
          expect((await asClient(`mutation { refresh(dashboard: INFRASTRUCTURE, workspaceId: ${own}) { state } }`)).body.errors).toBeUndefined();
          live = await Promise.race([first, new Promise((resolve) => setTimeout(() => resolve(null), 250))]);
        }
        expect(live.data.freshnessChanged.workspaceId).toBe(own);
        // The rest of the current value: one event per dashboard a CLIENT follows (KPI, VOLUME, INFRASTRUCTURE).
        const initial = [live.data.freshnessChanged, (await events.next()).data.freshnessChanged, (await events.next()).data.freshnessChanged];
        expect(initial.map((e) => e.dashboard).sort()).toEqual(['INFRASTRUCTURE', 'KPI', 'VOLUME']);
        expect(initial.every((e) => e.workspaceId === own)).toBe(true);
        // Another workspace changes (admin), then the own volume data: events arrive in publish
        // order, so anything about the other workspace would come before the own volume event.
        (t.clock as ManualClock).advance(30_000); // refreshes that bring newer data: something to hear
        expect((await asAdmin(`mutation { refresh(dashboard: KPI, workspaceId: ${other}) { state } }`)).body.errors).toBeUndefined();
        expect((await asClient(`mutation { refresh(dashboard: VOLUME, workspaceId: ${own}) { state } }`)).body.errors).toBeUndefined();
        const seen: any[] = [];
        for (;;) {
          const e = (await events.next()).data.freshnessChanged;
          seen.push(e);
          if (e.dashboard === 'VOLUME') break;
        }
        expect(seen.length).toBeGreaterThan(0);
        expect(seen.filter((e) => e.workspaceId !== own)).toEqual([]);
        expect(seen.filter((e) => e.dashboard === 'REVENUE')).toEqual([]);
      } finally {
        await events.cancel();
      }
    });
  });

  it('a live dashboard (kpiUpdated over SSE) holds and names only its own workspace', async () => {
    const res = await t.gateway.fetch(ENDPOINT, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${clientToken}` },
      body: JSON.stringify({ query: 'subscription { kpiUpdated { changedWorkspaceIds kpi { clients { workspaceId } totals { clients } } } }' }),
    });
    const updates = sseReader(res.body!);
    try {
      const snapshot = (await updates.next()).data.kpiUpdated; // sent at once; the listener is live before it
      expect([...workspaceIdsIn(snapshot)]).toEqual([own]);
      expect(snapshot.changedWorkspaceIds).toEqual([]);
      (t.clock as ManualClock).advance(30_000); // refreshes that bring newer data: something to see
      await asAdmin(`mutation { refresh(dashboard: KPI, workspaceId: ${other}) { state } }`);
      await asClient(`mutation { refresh(dashboard: KPI, workspaceId: ${own}) { state } }`);
      const next = (await updates.next()).data.kpiUpdated;
      expect(next.changedWorkspaceIds).toEqual([own]);
      expect([...workspaceIdsIn(next.kpi)]).toEqual([own]);
    } finally {
      await updates.cancel();
    }
  });

  it('over graphql-ws: the same limits, and events of its own workspace only', async () => {
    const served = await serve(t);
    const ws = wsClient(served.wsUrl, clientToken);
    try {
      const deep = wsSubscribe(ws, 'subscription { freshnessChanged { freshness { ' + 'a { '.repeat(50) + 'b' + ' }'.repeat(50) + ' } } }');
      await eventually(() => deep.errors.length > 0, 5_000, 'the deep subscription to be refused');
      expect(JSON.stringify(deep.errors)).toMatch(/Query depth limit of \d+ exceeded/);

      const sub = wsSubscribe<any>(ws, 'subscription { freshnessChanged { dashboard workspaceId resource } }');
      await eventually(async () => {
        await asClient(`mutation { refresh(dashboard: INFRASTRUCTURE, workspaceId: ${own}) { state } }`);
        return sub.values.length > 0;
      }, 5_000, 'the subscription to be live');
      await asAdmin(`mutation { refresh(dashboard: KPI, workspaceId: ${other}) { state } }`);
      await asClient(`mutation { refresh(dashboard: VOLUME, workspaceId: ${own}) { state } }`);
      await sub.waitFor((v) => v.freshnessChanged.resource.includes('sending-schedules'));
      expect(sub.values.filter((v) => v.freshnessChanged.workspaceId !== own)).toEqual([]);
      await sub.close();
    } finally {
      await ws.dispose();
      await served.ws.close();
      await served.close();
    }
  });

  describe('requests not worth reading are refused cheaply', () => {
    const deep = (n: number) => '{ kpi { clients { freshness { ' + 'a { '.repeat(n) + 'b' + ' }'.repeat(n) + ' } } } }';

    // Validation refusals answer 200 under `accept: application/json` (GraphQL over HTTP), 400 under
    // application/graphql-response+json; either way nothing executes.
    it('a query nested 50 deep: refused naming the depth limit, nothing fetched', async () => {
      const calls = t.upstreamCalls();
      const a = await asAdmin(deep(50));
      expect(a.body.data).toBeUndefined();
      expect(a.body.errors.some((e: any) => e.extensions?.limit === 'depth' && e.extensions.code === 'BAD_USER_INPUT')).toBe(true);
      expect(t.upstreamCalls()).toBe(calls);
    });

    it('1,000 aliases: refused while parsing (token limit); 40 aliases: the alias limit', async () => {
      const many = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: health { score }`).join(' ')} }`;
      const thousand = await asAdmin(many(1000));
      expect(thousand.body.data).toBeUndefined();
      expect(thousand.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'tokens' });
      const forty = await asAdmin(many(40));
      expect(forty.body.data).toBeUndefined();
      expect(forty.body.errors.map((e: any) => e.extensions?.limit)).toContain('aliases');
    });

    it('a 5 MB body: 413, streamed or declared', async () => {
      const big = JSON.stringify({ query: '{ health { score } }', variables: { pad: 'x'.repeat(5 * 1024 * 1024) } });
      const streamed = await api.send({ method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` }, body: big });
      expect(streamed.status).toBe(413);
      expect(codes(streamed)).toEqual(['REQUEST_ENTITY_TOO_LARGE']);
    });

    it('a declared 5 MB body over real HTTP is refused before it is sent', async () => {
      const server = await listen(t.gateway.handle, 0, '127.0.0.1');
      try {
        // Only the headers and a few bytes go out: a 413 can only come from the declared length.
        const status = await new Promise<number>((resolve, reject) => {
          const req = httpRequest(`${server.url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'content-length': String(5 * 1024 * 1024), authorization: `Bearer ${ADMIN_TOKEN}` },
          }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
            req.destroy();
          });
          req.on('error', reject);
          req.write('{"query":"');
        });
        expect(status).toBe(413);
      } finally {
        await server.close();
      }
    });

    it('the cost limit prices a `first` given in a variable like the literal: 30 aliases of 1,000 mailboxes refused', async () => {
      const page = (first: string) => `mailboxes(first: ${first}) { edges { node { email workspaceId provider reseller domain price dailyCapacity replyRate } } }`;
      const bomb = (first: string, head = '') => `query${head} { ${Array.from({ length: 30 }, (_, i) => `a${i}: infrastructure { ${page(first)} }`).join(' ')} }`;
      const refusedForCost = (a: Answer) => {
        expect(a.body.data).toBeUndefined();
        expect(a.body.errors.map((e: any) => [e.extensions?.code, e.extensions?.limit])).toContainEqual(['BAD_USER_INPUT', 'cost']);
        expect(a.text.length).toBeLessThan(2_000);
      };
      refusedForCost(await asAdmin(bomb('1000')));
      refusedForCost(await asAdmin(bomb('$n', '($n: Int)'), { n: 1000 }));
      refusedForCost(await asAdmin(bomb('$n', '($n: Int = 1000)')));
      refusedForCost(await asClient(bomb('$n', '($n: Int)'), { n: 1000 }));
      // Small pages under the same shape are fine: the limit prices, it does not ban variables.
      const small = await asAdmin(bomb('$n', '($n: Int)'), { n: 2 });
      expect(small.body.errors).toBeUndefined();
      expect(small.body.data.a29.mailboxes.edges).toHaveLength(2);
    });

    it('errors echo at most a short, escaped excerpt of a 200 KB input', async () => {
      const long = 'x'.repeat(200 * 1024);
      const answers = [
        await asAdmin(`{ revenue(month: "${long}") { month } }`),
        await asAdmin('query($m: String) { revenue(month: $m) { month } }', { m: long }),
        await asAdmin('query($n: Int) { infrastructure { mailboxes(first: $n) { totalCount } } }', { n: long }),
        await asAdmin(`{ infrastructure { mailboxes(first: "${long}") { totalCount } } }`),
        await asAdmin(`{ ${long} }`),
        await asClient(`mutation { upsertClient(input: { workspaceId: ${own}, name: "${long}" }) { workspaceId } }`),
      ];
      for (const a of answers) {
        expect(a.status).toBeLessThan(500);
        expect(a.body.errors?.length).toBeGreaterThan(0);
        expect(a.text.length).toBeLessThan(2_000);
        expect(a.text).not.toContain('x'.repeat(100));
        for (const e of a.body.errors) expect(e.message).not.toMatch(INTERNALS);
      }
      // What was cut says so: the first characters, then its length.
      expect(answers.map((a) => a.text).join('\n')).toContain(`(${long.length} characters)`);
    });

    it('malformed JSON: 400, no stack', async () => {
      for (const body of ['{"query": "{ health { score } }"', 'not json', '[1,2', '{"query": 42}', 'null']) {
        const a = await api.send({ method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` }, body });
        expect(a.status).toBe(400);
        expect(a.text).not.toMatch(INTERNALS);
      }
    });
  });

  it('200 seeded random inputs: errors with a code, never a 5xx, never internals', async () => {
    const cases = fuzzCases(20261120, 200);
    const failures: string[] = [];
    let errored = 0;
    for (const [i, c] of cases.entries()) {
      const token = i % 4 === 3 ? clientToken : ADMIN_TOKEN;
      const a = await api.send({ method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(c) });
      const errors: any[] = a.body?.errors ?? [];
      if (errors.length) errored++;
      const bad = a.status >= 500 || !a.body || (!a.body.data && !errors.length)
        || errors.some((e) => !ALLOWED_CODES.has(e.extensions?.code) || INTERNALS.test(e.message) || e.extensions?.stack || e.extensions?.originalError);
      if (bad) failures.push(`#${i} ${a.status} ${JSON.stringify(c).slice(0, 200)} -> ${a.text.slice(0, 300)}`);
    }
    expect(failures).toEqual([]);
    expect(errored).toBeGreaterThan(150);
  });

  it('an unexpected failure is masked: no message, stack, SQL or key reaches the client; the log keeps it scrubbed', async () => {
    const key = t.sim.apiKeys.get(own)!;
    const registry = t.gateway.services.registry;
    const list = registry.list;
    registry.list = async () => {
      throw new Error(`relation "clients" does not exist: SELECT * FROM clients WHERE api_key = '${key}' (postgres://gw:hunter2@db/x)`);
    };
    try {
      const logsBefore = evidence.logs.length;
      const a = await asAdmin('{ clients { workspaceId } }');
      expect(a.status).toBeLessThan(500);
      expect(a.body.errors).toEqual([expect.objectContaining({ message: 'Unexpected error.' })]);
      expect(a.text).not.toMatch(/SELECT|relation|postgres|hunter2|\n\s+at /);
      const logged = evidence.logs.slice(logsBefore).join('\n');
      expect(logged).toContain('relation \\"clients\\" does not exist'); // the operator still sees the cause
      expect(logged).not.toContain(key);
      expect(logged).not.toContain('hunter2');
    } finally {
      registry.list = list;
    }
  });

  describe('in production', () => {
    let prod: TestGateway;
    let prodApi: ReturnType<typeof client>;
    let prodClientToken: string;
    beforeAll(async () => {
      prod = await createTestGateway({
        sim: { workspaces: 2, mailboxes: 20 },
        env: { NODE_ENV: 'production', AUTH_FAILURES_PER_MINUTE: '10', RATE_LIMIT_PER_MINUTE: '100000' },
        gateway: { logger: createLogger('debug', evidence.logSink) },
      });
      prodApi = client(prod, evidence);
      const minted = await prodApi.gql(ADMIN_TOKEN, 'mutation($w: Int) { createApiToken(role: CLIENT, workspaceId: $w) }', { w: prod.sim.world.workspaces[1].id });
      prodClientToken = minted.body.data.createApiToken;
    });
    afterAll(() => prod?.close());

    it('introspection is for ADMIN tokens: a CLIENT token gets a clear FORBIDDEN, __typename still answers', async () => {
      const schemaQuery = '{ __schema { queryType { name } types { name } } }';
      const refused = await prodApi.gql(prodClientToken, schemaQuery);
      expect(refused.body.data).toBeUndefined();
      expect(refused.body.errors).toEqual([expect.objectContaining({
        message: expect.stringMatching(/Introspection \("__schema"\) is for ADMIN tokens in production/),
        extensions: expect.objectContaining({ code: 'FORBIDDEN' }),
      })]);
      expectRefused(await prodApi.gql(prodClientToken, '{ __type(name: "Query") { fields { name } } }'), 'FORBIDDEN');
      // The same document from an ADMIN, right after (validation results are cached per rule set).
      const admin = await prodApi.gql(ADMIN_TOKEN, schemaQuery);
      expect(admin.body.errors).toBeUndefined();
      expect(admin.body.data.__schema.queryType.name).toBe('Query');
      const plain = await prodApi.gql(prodClientToken, '{ __typename workspaces { workspaceId } }');
      expect(plain.body.errors).toBeUndefined();
      expect(plain.body.data.__typename).toBe('Query');
      // Outside production (the suite's main gateway) a CLIENT may introspect.
      expect((await asClient('{ __schema { queryType { name } } }')).body.data.__schema.queryType.name).toBe('Query');
    });

    it('an unauthenticated flood is limited per address before any database work (429 with Retry-After)', async () => {
      const db = prod.gateway.services.db;
      const query = db.query.bind(db);
      let tokenLookups = 0;
      db.query = ((text: string, params?: unknown[]) => {
        if (/api_tokens/.test(text)) tokenLookups += 1;
        return query(text, params as never);
      }) as typeof db.query;
      try {
        const forged = () => `bgw_${randomBytes(32).toString('base64url')}`;
        const answers: Answer[] = [];
        for (let i = 0; i < 40; i++) answers.push(await prodApi.gql(i % 5 === 4 ? null : forged(), '{ workspaces { workspaceId } }'));
        expect(answers.slice(0, 10).map((a) => a.status)).toEqual(Array(10).fill(401));
        expect(answers.slice(10).map((a) => a.status)).toEqual(Array(30).fill(429));
        expect(codes(answers[39])).toEqual(['RATE_LIMITED']);
        expect(tokenLookups).toBe(8); // the 10 refused before the limit, less the 2 that had no token at all
        // Over its budget, the address is refused whatever it sends: its tokens are not even looked up.
        const res = await prod.gateway.fetch(ENDPOINT, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${prodClientToken}` },
          body: '{"query":"{ workspaces { workspaceId } }"}',
        });
        expect(res.status).toBe(429);
        expect(res.headers.get('retry-after')).toBe('6'); // 10 failures a minute: one every 6 s
        expect(tokenLookups).toBe(8);
        // One failure's worth of budget later, the address may try again.
        (prod.clock as ManualClock).advance(6_000);
        expect((await prodApi.gql(prodClientToken, '{ workspaces { workspaceId } }')).status).toBe(200);
        expect((await prodApi.gql(forged(), '{ workspaces { workspaceId } }')).status).toBe(401);
        expect((await prodApi.gql(forged(), '{ workspaces { workspaceId } }')).status).toBe(429);
        expect(tokenLookups).toBe(10);
      } finally {
        db.query = query;
      }
    });
  });

  it('no stored Email Bison key appears in any response or log line', async () => {
    // Make the upstream fail for one workspace so the error paths (logs, SourceError) run too.
    t.sim.control.addFault({ workspaceId: other, endpoint: 'GET /api/sender-emails', errorRate: 1, errorStatus: 500, html: true });
    await asAdmin(`mutation { refresh(dashboard: INFRASTRUCTURE, workspaceId: ${other}) { state message } }`);
    await asAdmin('{ infrastructure { errors { workspaceId code message } } cacheStats { key lastError { message } } }');
    t.sim.control.clearFaults();

    const keys = [t.sim.superAdminKey, ...t.sim.apiKeys.values()];
    expect(keys.length).toBeGreaterThan(2);
    expect(evidence.logs.length).toBeGreaterThan(100);
    expect(evidence.leaks(keys)).toEqual([]);
    // Neither the bootstrap admin token nor keys the fuzz stored may be echoed anywhere.
    expect(evidence.leaks([ADMIN_TOKEN])).toEqual([]);
    expect([...evidence.responses, ...evidence.logs].filter((x) => x.includes('fuzzsecret'))).toEqual([]);
  });
});
