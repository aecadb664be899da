/**
 * The security plugins on a tiny Yoga (no simulator, no database): per-token rate limit on a
 * ManualClock, persisted operations, the query limits against the real example operations, and
 * the new configuration variables.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
import { parse, validate, specifiedRules } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock';
import { ConfigError, loadConfig } from '../../src/config';
import { schema as gatewaySchema } from '../../src/schema';
import type { Principal } from '../../src/access';
import { useBearerAuth } from '../../src/server/plugins/use-bearer-auth';
import { loadPersistedOperations, sha256, usePersistedOperations } from '../../src/server/plugins/use-persisted-operations';
import { useQueryLimits } from '../../src/server/plugins/use-query-limits';
import { createTokenRateLimiter, useTokenRateLimit } from '../../src/server/plugins/use-token-rate-limit';
import { clientAddress, createAuthFailureLimiter } from '../../src/server/auth-failures';
import { boundEcho } from '../../src/server/plugins/use-client-error-codes';

const TOKENS: Record<string, Principal> = {
  alice: { role: 'CLIENT', tokenId: 1, workspaceId: 3 },
  bob: { role: 'CLIENT', tokenId: 2, workspaceId: 4 },
};

function tinyYoga(plugins: Plugin[]) {
  return createYoga({
    schema: createSchema({ typeDefs: 'type Query { hello: String! }', resolvers: { Query: { hello: () => 'hi' } } }),
    logging: false,
    plugins: [
      useBearerAuth({ authenticate: async (h) => TOKENS[(h ?? '').replace(/^Bearer /, '')] ?? null, graphqlEndpoint: '/graphql' }),
      ...plugins,
    ],
  });
}

const post = (yoga: ReturnType<typeof tinyYoga>, token: string, body: unknown) =>
  yoga.fetch('http://x/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });

describe('per-token rate limit', () => {
  it('allows a burst of the per-minute budget, answers 429 with Retry-After, refills with time, per token', async () => {
    const clock = new ManualClock('2026-11-20T12:00:00Z');
    const yoga = tinyYoga([useTokenRateLimit({ limiter: createTokenRateLimiter({ perMinute: 6, clock }), graphqlEndpoint: '/graphql' })]);
    for (let i = 0; i < 6; i++) expect((await post(yoga, 'alice', { query: '{ hello }' })).status).toBe(200);
    const limited = await post(yoga, 'alice', { query: '{ hello }' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('10'); // one request per 10 s at 6 a minute
    expect((await limited.json()).errors[0].extensions.code).toBe('RATE_LIMITED');
    // Another token has its own budget.
    expect((await post(yoga, 'bob', { query: '{ hello }' })).status).toBe(200);
    clock.advance(10_000);
    expect((await post(yoga, 'alice', { query: '{ hello }' })).status).toBe(200);
    expect((await post(yoga, 'alice', { query: '{ hello }' })).status).toBe(429);
  });
});

describe('failed authentication per client address', () => {
  const peer = (remoteAddress: string) => ({ req: { socket: { remoteAddress } } });
  const xff = (value: string) => new Headers({ 'x-forwarded-for': value });

  it('takes the TCP peer, or the X-Forwarded-For entry as many hops from the right as there are trusted proxies', () => {
    expect(clientAddress(peer('10.0.0.9'), xff('203.0.113.7'), 0)).toBe('10.0.0.9'); // untrusted header ignored
    expect(clientAddress(peer('10.0.0.9'), xff('198.51.100.1, 203.0.113.7'), 1)).toBe('203.0.113.7'); // a forged first entry does not count
    expect(clientAddress(peer('10.0.0.9'), xff('198.51.100.1, 203.0.113.7'), 2)).toBe('198.51.100.1');
    expect(clientAddress(peer('10.0.0.9'), xff(''), 3)).toBe('10.0.0.9');
    expect(clientAddress(undefined, xff(''), 0)).toBe('unknown'); // in-process fetch
  });

  it('allows a burst of failures per address, then one per refill, and forgets the oldest addresses beyond its bound', () => {
    const clock = new ManualClock('2026-11-20T12:00:00Z');
    const limiter = createAuthFailureLimiter({ perMinute: 3, clock, maxAddresses: 2 });
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfterSeconds('a')).toBe(0);
      limiter.failed('a');
    }
    expect(limiter.retryAfterSeconds('a')).toBe(20);
    expect(limiter.retryAfterSeconds('b')).toBe(0);
    clock.advance(20_000);
    expect(limiter.retryAfterSeconds('a')).toBe(0);
    limiter.failed('b');
    limiter.failed('c');
    expect(limiter.size()).toBe(2);
  });
});

describe('bounded echoes', () => {
  it('cuts long quoted parts to an escaped excerpt with their length, and any message to 500 characters', () => {
    expect(boundEcho('Cannot query field "month" on type "Query".')).toBe('Cannot query field "month" on type "Query".');
    const long = `a"b\n${'x'.repeat(1000)}`;
    const cut = boundEcho(`Expected a month, got ${JSON.stringify(long)}.`);
    expect(cut).toBe(`Expected a month, got ${JSON.stringify(long.slice(0, 32)).slice(0, -1)}…" (${long.length} characters).`);
    expect(boundEcho('y'.repeat(5000))).toHaveLength(500 + '… (message cut at 500 characters)'.length);
  });
});

describe('persisted operations', () => {
  const operations = new Map([['hello-v1', '{ hello }']]);

  it('runs a document by id (documentId or Apollo sha256) and refuses unknown ids', async () => {
    const yoga = tinyYoga([usePersistedOperations({ operations: new Map([...operations, [sha256('{ hello }'), '{ hello }']]), only: false })]);
    expect(await (await post(yoga, 'alice', { documentId: 'hello-v1' })).json()).toEqual({ data: { hello: 'hi' } });
    const apollo = await post(yoga, 'alice', { extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ hello }') } } });
    expect(await apollo.json()).toMatchObject({ data: { hello: 'hi' } });
    const unknown = await post(yoga, 'alice', { documentId: 'nope' });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    // Without `only`, free-form documents still run.
    expect((await post(yoga, 'alice', { query: '{ hello }' })).status).toBe(200);
  });

  it('with `only`, refuses any document sent as text', async () => {
    const yoga = tinyYoga([usePersistedOperations({ operations, only: true })]);
    const free = await post(yoga, 'alice', { query: '{ hello }' });
    expect(free.status).toBe(400);
    expect((await free.json()).errors[0].extensions.code).toBe('PERSISTED_QUERY_ONLY');
    expect((await post(yoga, 'alice', { documentId: 'hello-v1' })).status).toBe(200);
  });

  it('loads a manifest file, indexing each document by its sha256 too, and names a bad file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'persisted-'));
    const file = join(dir, 'ops.json');
    writeFileSync(file, JSON.stringify({ kpi: '{ kpi { totals { clients } } }' }));
    const loaded = loadPersistedOperations(file);
    expect(loaded.get('kpi')).toBe('{ kpi { totals { clients } } }');
    expect(loaded.get(sha256('{ kpi { totals { clients } } }'))).toBe('{ kpi { totals { clients } } }');
    writeFileSync(file, '["not", "a", "map"]');
    expect(() => loadPersistedOperations(file)).toThrow(/PERSISTED_OPERATIONS_FILE: .* wants a JSON object/);
    expect(() => loadPersistedOperations(join(dir, 'missing.json'))).toThrow(/PERSISTED_OPERATIONS_FILE: cannot read/);
  });
});

describe('query limits with the default configuration', () => {
  const limits = loadConfig({}).limits;

  /** Runs the armor validation rules the way Yoga does, collecting what they report. */
  function limitErrors(document: string, overrides: Partial<typeof limits> = {}) {
    const rules: any[] = [];
    for (const plugin of useQueryLimits({ ...limits, ...overrides }, { production: true })) {
      (plugin as any).onValidate?.({ addValidationRule: (rule: unknown) => rules.push(rule) });
    }
    return validate(gatewaySchema, parse(document), [...specifiedRules, ...rules]).filter((e) => e.extensions?.limit);
  }

  it('let every example operation the dashboards use through', () => {
    const source = readFileSync(new URL('../../operations/dashboards.graphql', import.meta.url), 'utf8');
    expect(limitErrors(source)).toEqual([]);
  });

  it('refuse depth, aliases and cost beyond the limits, naming the limit', () => {
    const deep = '{ kpi { clients { freshness { ' + 'a { '.repeat(20) + 'b' + ' }'.repeat(20) + ' } } } }';
    expect(limitErrors(deep).map((e) => e.extensions.limit)).toContain('depth');
    const aliases = `{ ${Array.from({ length: limits.maxAliases + 1 }, (_, i) => `a${i}: health { score }`).join(' ')} }`;
    expect(limitErrors(aliases).map((e) => e.extensions.limit)).toContain('aliases');
    const fields = 'leadsGenerated monthlyKpi projectedReplies currentProgress status freshness { state origin ageSeconds }';
    const costly = `{ ${Array.from({ length: limits.maxAliases }, (_, i) => `k${i}: kpi { clients { ${fields} } totals { clients } }`).join(' ')} }`;
    expect(limitErrors(costly, { maxCost: 1000 }).map((e) => e.extensions.limit)).toContain('cost'); // costs ~1,080
    // A literal `first` multiplies: one full page of mailboxes passes, two aliased pages do not.
    const page = (alias: string) => `${alias}: infrastructure { mailboxes(first: 1000) { totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { id workspaceId email domain provider reseller status price dailyCapacity replyRate } } } }`;
    expect(limitErrors(`{ ${page('a')} }`)).toEqual([]);
    expect(limitErrors(`{ ${page('a')} ${page('b')} }`).map((e) => e.extensions.limit)).toEqual(['cost']);
  });
});

describe('configuration', () => {
  it('has safe defaults and validates each limit', () => {
    expect(loadConfig({}).limits).toEqual({
      maxDepth: 12, maxAliases: 30, maxTokens: 3000, maxCost: 100_000, maxBodyBytes: 256 * 1024, ratePerMinute: 600, authFailuresPerMinute: 30, trustProxyHops: 0,
    });
    expect(loadConfig({ MAX_QUERY_DEPTH: '8', RATE_LIMIT_PER_MINUTE: '60' }).limits).toMatchObject({ maxDepth: 8, ratePerMinute: 60 });
    expect(() => loadConfig({ MAX_BODY_BYTES: '-5' })).toThrow(/MAX_BODY_BYTES: got "-5", wants an integer from 1024/);
    expect(() => loadConfig({ PERSISTED_OPERATIONS_ONLY: 'yes' })).toThrow(/PERSISTED_OPERATIONS_ONLY: got "yes", wants true or false/);
    expect(() => loadConfig({ PERSISTED_OPERATIONS_ONLY: 'true' })).toThrow(ConfigError);
    expect(loadConfig({ PERSISTED_OPERATIONS_ONLY: 'true', PERSISTED_OPERATIONS_FILE: 'ops.json' }).persistedOperations).toEqual({ file: 'ops.json', only: true });
  });
});
