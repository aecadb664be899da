/**
 * Warm reads of the Redis store answered from memory while Redis client tracking vouches for them
 * (src/sources/cache/tracking.ts), on a redis-server of our own (INFO commandstats counts only our
 * commands, and we restart and freeze it). Two stores on one prefix stand for two replicas.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCacheStore, type CacheStore } from '../../src/sources/cache';
import { commandsExecuted, startRedisServer, type RedisServer } from '../support/redis-server';
import { ManualClock, fakeUpstream, makeCache, stats } from './harness';

const key = 'stats:1:2026-03-01:2026-03-10';
const TIMEOUT_MS = 200;

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition did not hold within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the Redis store answers warm reads from memory, coherent across replicas', () => {
  let redis: RedisServer;
  const stores: CacheStore[] = [];
  const open = (prefix: string, trustMs = 60_000) => {
    const store = createCacheStore({ redisUrl: redis.url, prefix, redisTimeoutMs: TIMEOUT_MS, redisTrustMs: trustMs });
    stores.push(store);
    return store;
  };

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await redis.stop();
  });

  it('a warm read sends no command; a write by another replica reaches the next read here through the invalidation alone', async () => {
    const prefix = `track:${randomUUID().slice(0, 8)}`;
    // Trust for a minute: only Redis's invalidation can make B see A's write within this test.
    const a = open(prefix);
    const b = open(prefix);
    await a.putValue(key, stats(1), { sent: 1 }, 1_000);
    expect((await b.get(key))?.value).toEqual({ sent: 1 }); // GET: now tracked for B
    const warm = b.peek(key);
    expect(warm).toMatchObject({ value: { sent: 1 }, meta: { version: 1 } });

    const before = await commandsExecuted(redis.url);
    for (let i = 0; i < 100; i++) {
      expect(b.peek(key)).toBe(warm); // the same object: nothing fetched, nothing allocated
      expect((await b.get(key))?.value).toEqual({ sent: 1 });
    }
    expect(await commandsExecuted(redis.url)).toBe(before);

    await a.putValue(key, stats(1), { sent: 2 }, 2_000);
    // The invalidation travels on B's own socket: B stops answering v1 from memory as soon as it arrives.
    await until(() => b.peek(key) === undefined, 2_000);
    expect(await b.get(key)).toMatchObject({ value: { sent: 2 }, meta: { version: 2 } });
    expect(b.peek(key)).toMatchObject({ value: { sent: 2 } });

    // A meta-only change (a webhook's stale mark) and a delete by A reach B the same way.
    await a.putMeta(key, { ...(await a.getMeta(key))!, invalidatedAt: 3_000 });
    await until(async () => (await b.getMeta(key))?.invalidatedAt === 3_000, 2_000);
    await a.delete(key);
    await until(async () => (await b.get(key)) === undefined, 2_000);
  });

  it('through the source cache: a refresh landed by replica A shows on replica B without B calling upstream', async () => {
    const prefix = `track:${randomUUID().slice(0, 8)}`;
    const clock = new ManualClock('2026-03-10T09:00:00Z');
    const upstream = fakeUpstream();
    const cacheA = makeCache(open(prefix), upstream, clock);
    const cacheB = makeCache(open(prefix), upstream, clock);
    expect((await cacheA.read(stats(4))).value).toEqual({ key: expect.any(String), call: 1 });
    expect((await cacheB.read(stats(4))).meta.origin).toBe('CACHE');
    const warm = await cacheB.read(stats(4));
    expect(await cacheB.read(stats(4))).toBe(warm); // answered from memory, the same answer object
    await cacheA.refresh(stats(4));
    await until(async () => ((await cacheB.read(stats(4))).value as unknown as { call: number }).call === 2, 2_000);
    expect(upstream.calls(stats(4))).toBe(2);
    cacheA.stop();
    cacheB.stop();
  });

  it('a Redis restart drops what was vouched for: B never serves its old entry as current afterwards', async () => {
    const prefix = `track:${randomUUID().slice(0, 8)}`;
    const a = open(prefix);
    const b = open(prefix);
    await a.putValue(key, stats(1), { sent: 1 }, 1_000);
    await b.get(key);
    expect(b.peek(key)?.value).toEqual({ sent: 1 });

    await redis.kill();
    await until(() => !b.health().reachable);
    expect(b.peek(key)).toBeUndefined();
    const during = await b.get(key);
    expect(during).toMatchObject({ value: { sent: 1 }, meta: { localCopy: true } });

    await redis.start(); // empty
    await until(async () => (await a.getMeta(key).catch(() => undefined)) !== undefined && a.health().reachable);
    await a.putValue(key, stats(1), { sent: 9 }, 5_000);
    // B reconnected on a new link: its v1 is no longer vouched for, the next read asks Redis.
    await until(async () => b.health().reachable && (await b.get(key).catch(() => undefined))?.meta.localCopy === undefined);
    expect((await b.get(key))?.value).toEqual({ sent: 9 });
    expect(b.peek(key)?.value).toEqual({ sent: 9 });
    // Tracking is on again on the new connection: the next write reaches B through its invalidation.
    await a.putValue(key, stats(1), { sent: 10 }, 6_000);
    await until(() => b.peek(key) === undefined, 2_000);
    expect((await b.get(key))?.value).toEqual({ sent: 10 });
  });

  it('a frozen Redis is noticed within the trust window: reads then answer from the local copy, flagged', async () => {
    const prefix = `track:${randomUUID().slice(0, 8)}`;
    const store = open(prefix, 100);
    await store.putValue(key, stats(1), { sent: 1 }, 1_000);
    await store.get(key);
    expect(store.peek(key)).toBeDefined();
    redis.freeze();
    try {
      await new Promise((r) => setTimeout(r, 150)); // past the trust window: reads must ask first
      expect(store.peek(key)).toBeUndefined();
      const read = await store.get(key);
      expect(read).toMatchObject({ value: { sent: 1 }, meta: { localCopy: true } });
      expect(store.health().reachable).toBe(false);
    } finally {
      redis.thaw();
    }
    await until(async () => (await store.get(key))?.meta.localCopy === undefined);
    await until(() => store.peek(key) !== undefined);
  });
});
