/**
 * The Redis store when its Redis misbehaves, on a redis-server of our own: killed (-9, it comes
 * back empty) and frozen (SIGSTOP: connections open, nothing answers). Reads never wait for it:
 * they answer at once from what this process holds, flagged, writes land locally, and when Redis
 * returns the entries it lost are written back, so another replica finds them without upstream.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCacheStore, type CacheStore } from '../../src/sources/cache';
import { resourceKey } from '../../src/sources/resources';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { ManualClock, TTL, fakeUpstream, makeCache, stats } from './harness';

const TIMEOUT_MS = 200;

/** A read's answer and how long it took (real time). */
async function timed<T>(work: Promise<T>): Promise<{ answer: T; ms: number }> {
  const started = performance.now();
  const answer = await work;
  return { answer, ms: performance.now() - started };
}

describe('the Redis store through a Redis outage', () => {
  let redis: RedisServer;
  const stores: CacheStore[] = [];
  const open = (prefix: string) => {
    const store = createCacheStore({ redisUrl: redis.url, prefix, redisTimeoutMs: TIMEOUT_MS });
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

  it('killed: reads answer at once from the local copy (flagged), refreshes land locally; back: lost entries are written back', async () => {
    const prefix = `outage:${randomUUID().slice(0, 8)}`;
    const clock = new ManualClock('2026-03-10T09:00:00Z');
    const upstream = fakeUpstream();
    const store = open(prefix);
    const cache = makeCache(store, upstream, clock);
    const first = await cache.read(stats(1));
    expect(first.meta.origin).toBe('UPSTREAM');
    expect(store.health()).toMatchObject({ kind: 'redis', reachable: true });

    await redis.kill();
    const warm = await timed(cache.read(stats(1)));
    expect(warm.ms).toBeLessThan(100);
    expect(warm.answer.value).toEqual(first.value);
    expect(warm.answer.meta).toMatchObject({ origin: 'CACHE', localCopy: true, error: null });
    expect(store.health()).toMatchObject({ reachable: false, downSince: expect.any(Number) });

    // Expired: served at once, refreshed upstream in the background, and the refresh is kept locally.
    clock.advance(TTL + 1);
    const stale = await timed(cache.read(stats(1)));
    expect(stale.ms).toBeLessThan(100);
    expect(stale.answer.value).toEqual(first.value);
    await until(() => upstream.calls(stats(1)) === 2);
    await until(async () => (await cache.read(stats(1))).value !== null
      && JSON.stringify((await cache.read(stats(1))).value) !== JSON.stringify(first.value));
    const refreshed = await cache.read(stats(1));
    expect(refreshed.value).toEqual({ key: resourceKey(stats(1)), call: 2 });
    expect(refreshed.meta.localCopy).toBe(true);
    // A key this process never held is fetched and answered too (nothing to fall back to, nothing thrown).
    expect((await cache.read(stats(2))).value).toEqual({ key: resourceKey(stats(2)), call: 1 });
    expect(upstream.calls()).toBe(3);

    await redis.start(); // empty: kill -9 without persistence
    await until(async () => (await cache.read(stats(1))).meta.localCopy === undefined);
    expect(store.health().reachable).toBe(true);
    const direct = new Redis(redis.url);
    try {
      expect(await direct.exists(`${prefix}:m:${resourceKey(stats(1))}`, `${prefix}:d:${resourceKey(stats(1))}`)).toBe(2);
    } finally {
      direct.disconnect();
    }
    // Another replica reads the restored entry from Redis: no upstream call.
    const replica = makeCache(open(prefix), upstream, clock);
    const shared = await replica.read(stats(1));
    expect(shared.value).toEqual({ key: resourceKey(stats(1)), call: 2 });
    expect(shared.meta.origin).toBe('CACHE');
    expect(upstream.calls()).toBe(3);
    cache.stop();
    replica.stop();
  });

  it('frozen: a read costs at most one command timeout, then answers from the local copy', async () => {
    const clock = new ManualClock('2026-03-10T09:00:00Z');
    const upstream = fakeUpstream();
    const cache = makeCache(open(`frozen:${randomUUID().slice(0, 8)}`), upstream, clock);
    const first = await cache.read(stats(3));
    redis.freeze();
    try {
      const reads = await Promise.all(Array.from({ length: 20 }, () => timed(cache.read(stats(3)))));
      for (const { answer, ms } of reads) {
        expect(answer.value).toEqual(first.value);
        expect(answer.meta.localCopy).toBe(true);
        expect(ms).toBeLessThan(TIMEOUT_MS + 300);
      }
      // Within the quiet period after the timeout, reads do not even try Redis.
      const next = await timed(cache.read(stats(3)));
      expect(next.ms).toBeLessThan(50);
    } finally {
      redis.thaw();
    }
    await until(async () => (await cache.read(stats(3))).meta.localCopy === undefined);
    expect(upstream.calls()).toBe(1);
    cache.stop();
  });
});

/** Polls until `check` holds (real time; generous bound for a loaded machine). */
async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`condition did not hold within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
