/**
 * The memory store's synchronous read path (`peek`): it reads the Map Keyv writes, so every write,
 * meta change and delete — by this store or another sharing the Map (a replica stand-in) — shows
 * at once, and what it answers equals what the async `get` answers.
 */
import { describe, expect, it } from 'vitest';
import { createCacheStore } from '../../src/sources/cache';
import { ManualClock, fakeUpstream, makeCache, stats } from './harness';

const key = 'stats:1:2026-03-01:2026-03-10';

describe('memory store peek', () => {
  it('follows every write, meta change and delete made through any store sharing the Map', async () => {
    const sharedMap = new Map<string, unknown>();
    const store = createCacheStore({ sharedMap });
    const replica = createCacheStore({ sharedMap });
    expect(store.peek(key)).toBeUndefined();

    await replica.putValue(key, stats(1), { sent: 1 }, 1_000);
    const first = store.peek(key);
    expect(first).toEqual(await store.get(key));
    expect(first?.value).toEqual({ sent: 1 });
    expect(store.peek(key)).toBe(first); // unchanged entry: the same object, nothing allocated

    await replica.putMeta(key, { ...first!.meta, invalidatedAt: 2_000 });
    expect(store.peek(key)?.meta.invalidatedAt).toBe(2_000);

    await replica.putValue(key, stats(1), { sent: 2 }, 3_000);
    expect(store.peek(key)).toMatchObject({ value: { sent: 2 }, meta: { version: 2, fetchedAt: 3_000, invalidatedAt: null } });

    await replica.delete(key);
    expect(store.peek(key)).toBeUndefined();
  });

  it('never answers for a value whose write is half done, nor for Redis', async () => {
    const sharedMap = new Map<string, unknown>();
    const store = createCacheStore({ sharedMap });
    await store.putValue(key, stats(1), { sent: 1 }, 1_000);
    // The value of version 2 has landed but its meta not yet: `get` settles such a pair, peek steps aside.
    const dataKey = `bison-gateway:cache:d:${key}`;
    const record = sharedMap.get(dataKey) as { value: { version: number }; expires: number };
    sharedMap.set(dataKey, { ...record, value: { ...record.value, version: 2 } });
    expect(store.peek(key)).toBeUndefined();
    expect(createCacheStore({ redisUrl: 'redis://127.0.0.1:1', prefix: 'never-connected' }).peek(key)).toBeUndefined();
  });

  it('serves warm reads from it: a webhook-stale mark is seen by the very next read', async () => {
    const upstream = fakeUpstream();
    const clock = new ManualClock('2026-03-10T09:00:00Z');
    const cache = makeCache(createCacheStore(), upstream, clock, { staleDebounceMs: 60_000 });
    await cache.read(stats(1));
    const warm = await cache.read(stats(1));
    expect(warm.meta.origin).toBe('CACHE');
    expect(await cache.read(stats(1))).toBe(warm); // same stored meta, same answer
    expect(await cache.markStale({ workspaceId: 1 })).toBe(1);
    const after = await cache.read(stats(1));
    expect(after).not.toBe(warm);
    expect(after.meta.refreshing).toBe(true); // expired by the mark: served stale, refreshed behind
    cache.stop();
  });
});
