/**
 * The per-token rate limit across replicas. Three gateways share one Postgres schema and one key
 * prefix on the real Redis: a token limited to 600 requests a minute gets 600 across all three,
 * not 600 × 3. The shared bucket runs on Redis's clock (not the gateways' injected one), so it
 * refills 10 a second of real time while the test runs: the count is 600 plus at most what the
 * measured time refilled. The bucket in Redis is named by the token's id, never its secret. When Redis stops
 * answering (a throwaway redis-server, killed), each replica counts alone at its share of the
 * limit, or at the full limit with a warning when it cannot tell how many replicas live.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
import { ManualClock } from '../../src/clock';
import { startSimulator, type Simulator } from '../../src/simulator';
import { dropSchema } from '../../src/sources/db';
import { createCacheStore } from '../../src/sources/cache';
import { scriptRunner } from '../../src/sources/cache/redis-commands';
import { createSharedBuckets } from '../../src/sources/cache/shared-buckets';
import { useBearerAuth } from '../../src/server/plugins/use-bearer-auth';
import { createTokenRateLimiter, useTokenRateLimit } from '../../src/server/plugins/use-token-rate-limit';
import { TEST_DATABASE_URL } from '../support/databases';
import { createTestGateway, DEFAULT_NOW, REDIS_URL, TEST_ENCRYPTION_KEY, type TestGateway } from '../support/gateway';
import { startRedisServer, type RedisServer } from '../support/redis-server';

describe('a token limited to 600 requests a minute, across three replicas on one Redis', () => {
  const clock = new ManualClock(DEFAULT_NOW);
  const dbSchema = `gw_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const cachePrefix = `bgw-test:${randomUUID().slice(0, 8)}`;
  let sim: Simulator;
  let replicas: TestGateway[] = [];
  let redis: Redis;

  beforeAll(async () => {
    sim = await startSimulator({ clock, seed: 'test', rateLimit: false, workspaces: 3, mailboxes: 30 });
    const shared = {
      clock, simulator: sim, database: 'postgres' as const, cache: 'redis' as const, dbSchema, cachePrefix,
      env: { ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, RATE_LIMIT_PER_MINUTE: '600' },
    };
    for (let i = 0; i < 3; i++) replicas.push(await createTestGateway(shared));
    redis = new Redis(REDIS_URL);
  }, 120_000);
  afterAll(async () => {
    const keys = await redis.keys(`${cachePrefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    for (const r of replicas) await r.close();
    await sim?.close();
    await dropSchema(TEST_DATABASE_URL, dbSchema);
  });

  it('gets about 600, not 1800, and every 429 carries Retry-After', async () => {
    const issued = await replicas[0].query('mutation { issueApiToken(role: ADMIN, label: "loop") { id token } }');
    const { id, token } = issued.body.data.issueApiToken as { id: string; token: string };
    const post = (i: number) => replicas[i % 3].gateway.fetch('http://gateway.test/graphql', {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: '{ __typename }' }),
    });
    /** What the bucket can have refilled since `t0` (600 a minute = one per 100 ms of real time), plus one for rounding. */
    const refilledSince = (t0: number) => Math.ceil((performance.now() - t0) / 100) + 1;
    const statuses: number[] = [];
    const retryAfter = new Set<string | null>();
    const started = performance.now();
    // 1,200 requests, 400 on each replica, 60 at a time.
    for (let batch = 0; batch < 20; batch++) {
      const answers = await Promise.all(Array.from({ length: 60 }, async (_, i) => {
        const res = await post(i);
        if (res.status === 429) {
          retryAfter.add(res.headers.get('retry-after'));
          expect((await res.json()).errors[0].extensions.code).toBe('RATE_LIMITED');
        } else await res.text();
        return res.status;
      }));
      statuses.push(...answers);
    }
    const ok = statuses.filter((s) => s === 200).length;
    expect(ok).toBeGreaterThanOrEqual(600);
    expect(ok).toBeLessThanOrEqual(600 + refilledSince(started)); // per replica it would be 1,200
    expect(statuses.filter((s) => s === 429)).toHaveLength(1200 - ok);
    expect([...retryAfter]).toEqual(['1']); // one request every 100 ms at 600 a minute

    // The bucket is named by the token's id; the secret appears nowhere in Redis's key space.
    const keys = await redis.keys(`${cachePrefix}:rate:*`);
    expect(keys.sort()).toEqual([`${cachePrefix}:rate:bootstrap-admin`, `${cachePrefix}:rate:token:${id}`]); // the mint went through the bootstrap token
    const all = await redis.keys(`${cachePrefix}:*`);
    expect(all.some((k) => k.includes(token) || k.includes(token.slice(-12)))).toBe(false);

    // Time refills the one shared bucket, wherever the requests land: empty it, wait 1.5 s of real
    // time (the gateways' clock does not move: Redis's does), and about 15 more go through.
    while ((await post(0)).status === 200); // empty
    const emptied = performance.now();
    await new Promise((r) => setTimeout(r, 1_500));
    const later = await Promise.all(Array.from({ length: 90 }, (_, i) => post(i).then(async (r) => (await r.text(), r.status))));
    const refilled = later.filter((s) => s === 200).length;
    expect(refilled).toBeGreaterThanOrEqual(14); // 1.5 s at one per 100 ms (less one for rounding)
    expect(refilled).toBeLessThanOrEqual(refilledSince(emptied)); // not three buckets' worth
    expect(refilled).toBeLessThan(90);
  }, 120_000);
});

describe('the per-token rate limit when Redis does not answer', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  function replica(live: number | null, lines: string[] = []) {
    const clock = new ManualClock(DEFAULT_NOW);
    const store = createCacheStore({ redisUrl: server.url, prefix: `bgw-test:${randomUUID().slice(0, 8)}`, redisTimeoutMs: 300 });
    const limiter = createTokenRateLimiter({
      perMinute: 600, clock, shared: createSharedBuckets(scriptRunner(() => store.redis()), store.prefix),
      liveReplicas: () => live, logger: { warn: (_obj: unknown, msg?: string) => void lines.push(String(msg)) } as never,
    });
    const plugin: Plugin = useTokenRateLimit({ limiter, graphqlEndpoint: '/graphql' });
    const yoga = createYoga({
      schema: createSchema({ typeDefs: 'type Query { hello: String! }', resolvers: { Query: { hello: () => 'hi' } } }),
      logging: false,
      plugins: [useBearerAuth({ authenticate: async () => ({ role: 'ADMIN', tokenId: 7, workspaceId: null }), graphqlEndpoint: '/graphql' }), plugin],
    });
    const post = () => Promise.resolve(yoga.fetch('http://x/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer t' }, body: '{"query":"{ hello }"}' }));
    return { post, store };
  }
  const count = async (post: () => Promise<Response>, n: number) => {
    let ok = 0;
    for (let i = 0; i < n; i++) if ((await post()).status === 200) ok++;
    return ok;
  };

  it('falls back to this replica\'s share of the limit (600 / 3 live replicas), never failing a request', async () => {
    const { post, store } = replica(3);
    expect((await post()).status).toBe(200); // Redis answers: the shared bucket
    await server.kill();
    const ok = await count(post, 400);
    expect(ok).toBe(200);
    await server.start();
    await store.close();
  });

  it('at the full limit with a warning when the number of live replicas is unknown', async () => {
    const lines: string[] = [];
    const { post, store } = replica(null, lines);
    expect((await post()).status).toBe(200);
    await server.kill();
    expect(await count(post, 700)).toBe(600);
    expect(lines.filter((l) => l.includes('number of live replicas is unknown'))).toHaveLength(1);
    await server.start();
    await store.close();
  });
});
