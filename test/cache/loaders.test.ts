import { describe, expect, it } from 'vitest';
import { createCacheStore } from '../../src/sources/cache';
import { createLoaders } from '../../src/sources/loaders';
import { ManualClock, fakeUpstream, makeCache, stats } from './harness';

describe('per-request loaders', () => {
  function setup() {
    const upstream = fakeUpstream();
    const cache = makeCache(createCacheStore(), upstream, new ManualClock('2026-03-10T09:00:00Z'));
    let reads = 0;
    const counting = { read: ((r, o) => { reads += 1; return cache.read(r, o); }) as typeof cache.read };
    return { upstream, counting, reads: () => reads };
  }

  it('reads a resource once per request however many fields ask for it', async () => {
    const { counting, reads } = setup();
    const loaders = createLoaders(counting);
    const [a, b] = await Promise.all([loaders.read(stats(1)), loaders.read({ ...stats(1) })]);
    const c = await loaders.read(stats(1));
    expect(reads()).toBe(1);
    expect(b).toBe(a);
    expect(c).toBe(a);
  });

  it('does not share reads between requests', async () => {
    const { counting, reads } = setup();
    await createLoaders(counting).read(stats(1));
    await createLoaders(counting).read(stats(1));
    expect(reads()).toBe(2);
  });

  it('lets a fast key resolve while a slow one of the same tick is still loading', async () => {
    const { upstream, counting } = setup();
    await createLoaders(counting).read(stats(2)); // an earlier request warmed stats(2)
    const loaders = createLoaders(counting);
    upstream.hold();
    const slow = loaders.read(stats(1)); // cold: waits for upstream
    const fast = await loaders.read(stats(2));
    expect(fast.meta.origin).toBe('CACHE');
    upstream.release();
    expect((await slow).meta.origin).toBe('UPSTREAM');
  });
});
