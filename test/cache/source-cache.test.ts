/**
 * The cache's behaviour, run twice: on the in-process store and on real Redis.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/sources/errors';
import { resourceKey } from '../../src/sources/resources';
import {
  ManualClock, STALE_IF_ERROR, TTL, fakeUpstream, mailboxes, makeCache, memoryKind, nextChange, recordingObserver, redisKind, settle, stats,
  type StoreKind,
} from './harness';

const timeout = () => new SourceError('UPSTREAM_TIMEOUT', 'Email Bison did not answer within 45 s', true, 1);
/** Guard against a read that waits for upstream: resolves 'blocked' if the read has not answered soon. */
const unlessBlocked = <T>(p: Promise<T>) => Promise.race([p, new Promise<'blocked'>((r) => setTimeout(() => r('blocked'), 2_000))]);

describe.each([memoryKind(), redisKind()])('source cache on $name store', (kind: StoreKind) => {
  const stops: Array<() => void> = [];
  afterEach(() => stops.splice(0).forEach((stop) => stop()));
  afterAll(() => kind.cleanup());

  function setup(extra: Parameters<typeof makeCache>[3] = {}) {
    const clock = new ManualClock('2026-03-10T09:00:00Z');
    const upstream = fakeUpstream();
    const made = kind.create();
    const cache = makeCache(made.store, upstream, clock, { lock: made.lock(clock), ...extra });
    stops.push(cache.stop);
    return { clock, upstream, cache, made };
  }

  it('serves 200 concurrent cold reads with exactly one upstream fetch', async () => {
    const { upstream, cache } = setup();
    upstream.hold();
    const reads = Array.from({ length: 200 }, () => cache.read(stats(1)));
    await upstream.untilHeld(1);
    await settle();
    upstream.release();
    const results = await Promise.all(reads);
    expect(upstream.calls(stats(1))).toBe(1);
    expect(new Set(results.map((r) => JSON.stringify(r.value))).size).toBe(1);
    expect(results[0].meta.origin).toBe('UPSTREAM');
    expect(upstream.contexts[0]).toMatchObject({ priority: 'interactive', triggeredBy: 'request' });
  });

  it('answers a fresh entry from cache without calling upstream', async () => {
    const { upstream, cache, clock } = setup();
    const first = await cache.read(stats(1));
    clock.advance(TTL - 1);
    const second = await cache.read(stats(1));
    expect(upstream.calls()).toBe(1);
    expect(second.value).toEqual(first.value);
    expect(second.meta).toMatchObject({ origin: 'CACHE', fetchedAt: first.meta.fetchedAt, refreshing: false, nextRefreshAt: first.meta.fetchedAt! + TTL });
  });

  it('answers an expired entry at once with its true age and refreshes it exactly once in the background', async () => {
    const { upstream, cache, clock } = setup();
    const first = await cache.read(stats(1));
    clock.advance(TTL + 1_000);
    upstream.hold();
    const stale = await unlessBlocked(cache.read(stats(1)));
    const again = await unlessBlocked(cache.read(stats(1)));
    if (stale === 'blocked' || again === 'blocked') throw new Error('an expired read waited for upstream');
    expect(stale.value).toEqual(first.value);
    expect(stale.meta).toMatchObject({ origin: 'CACHE', fetchedAt: first.meta.fetchedAt, refreshing: true });
    await upstream.untilHeld(1);
    expect(upstream.heldCount()).toBe(1);
    const landed = nextChange(cache, resourceKey(stats(1)), (o) => o === 'UPSTREAM');
    upstream.release();
    await landed;
    expect(upstream.calls(stats(1))).toBe(2);
    expect(upstream.contexts[1]).toMatchObject({ priority: 'background' });
    const fresh = await cache.read(stats(1));
    expect(fresh.value).toEqual({ key: resourceKey(stats(1)), call: 2 });
    expect(fresh.meta).toMatchObject({ origin: 'CACHE', fetchedAt: clock.now() });
  });

  it('serves stale-if-error with a message until staleIfErrorMs, then null with an error', async () => {
    const { upstream, cache, clock } = setup({ errorBackoffMs: 0 });
    const first = await cache.read(stats(1));
    clock.advance(TTL + 1);
    upstream.failWith(timeout());
    const failed = nextChange(cache, resourceKey(stats(1)), (o) => o === 'STALE_CACHE');
    expect((await cache.read(stats(1))).meta.origin).toBe('CACHE');
    expect(await failed).toEqual({ origin: 'STALE_CACHE', message: 'served from stale cache: upstream timed out' });

    clock.advance(STALE_IF_ERROR - TTL - 2);
    const late = await cache.read(stats(1));
    expect(late.value).toEqual(first.value);
    expect(late.meta).toMatchObject({ origin: 'STALE_CACHE', message: 'served from stale cache: upstream timed out', fetchedAt: first.meta.fetchedAt });
    expect(late.meta.error).toMatchObject({ code: 'UPSTREAM_TIMEOUT', retryable: true });

    clock.advance(2);
    const tooOld = await cache.read(stats(1));
    expect(tooOld.value).toBeNull();
    expect(tooOld.meta).toMatchObject({ origin: 'NONE', fetchedAt: null });
    expect(tooOld.meta.error).toMatchObject({ code: 'STALE_TOO_OLD', workspaceId: 1, retryable: true });
  });

  it('answers a cold key that fails with null and the upstream error, never a throw', async () => {
    const { upstream, cache } = setup();
    upstream.failWith(timeout());
    const read = await cache.read(stats(7));
    expect(read.value).toBeNull();
    expect(read.meta).toMatchObject({ origin: 'NONE', error: { code: 'UPSTREAM_TIMEOUT', workspaceId: 1 } });
    upstream.failWith(new Error('socket hang up with secret=abc'));
    const internal = await cache.refresh(stats(8));
    expect(internal.meta.error).toEqual({ workspaceId: 8, code: 'INTERNAL', message: 'internal error while loading this workspace', retryable: true });
  });

  it('refresh() joins an in-flight fetch, and forces one when none is running', async () => {
    const { upstream, cache } = setup();
    upstream.hold();
    const read = cache.read(stats(1));
    await settle();
    const refreshed = cache.refresh(stats(1));
    await settle();
    upstream.release();
    const [r1, r2] = await Promise.all([read, refreshed]);
    expect(upstream.calls(stats(1))).toBe(1);
    expect(r2.value).toEqual(r1.value);
    const forced = await cache.refresh(stats(1));
    expect(upstream.calls(stats(1))).toBe(2);
    expect(forced.meta.origin).toBe('UPSTREAM');
    expect(forced.value).toEqual({ key: resourceKey(stats(1)), call: 2 });
  });

  it('markStale expires only the named workspace and refreshes its watched entries', async () => {
    const { upstream, cache } = setup();
    await cache.read(stats(1));
    await cache.read(stats(2));
    const refreshed = nextChange(cache, resourceKey(stats(1)), (o) => o === 'UPSTREAM');
    expect(await cache.markStale({ workspaceId: 1 })).toBe(1);
    await refreshed;
    expect(upstream.calls(stats(1))).toBe(2);
    expect(upstream.contexts[2]).toMatchObject({ triggeredBy: 'webhook', priority: 'background' });
    const other = await cache.read(stats(2));
    expect(other.meta.origin).toBe('CACHE');
    expect(upstream.calls(stats(2))).toBe(1);
  });

  it('an entry marked stale is served stale and refreshed by the next read', async () => {
    const { upstream, cache } = setup({ staleDebounceMs: 60_000 });
    await cache.read(stats(1));
    await cache.markStale({ workspaceId: 1, kinds: ['stats'] });
    const landed = nextChange(cache, resourceKey(stats(1)), (o) => o === 'UPSTREAM');
    const read = await cache.read(stats(1));
    expect(read.meta).toMatchObject({ origin: 'CACHE', refreshing: true });
    await landed;
    expect(upstream.calls(stats(1))).toBe(2);
  });

  it('clear() removes matching entries and counts them', async () => {
    const { cache } = setup();
    await Promise.all([cache.read(stats(1)), cache.read(mailboxes(1)), cache.read(stats(2))]);
    expect(await cache.clear({ workspaceId: 1, kinds: ['sender-emails'] })).toBe(1);
    expect(await cache.clear({ workspaceId: 1 })).toBe(1);
    expect((await cache.entries()).map((e) => e.key)).toEqual([resourceKey(stats(2))]);
    expect(await cache.clear()).toBe(1);
    expect(await cache.entries()).toEqual([]);
  });

  it('refresh-ahead refreshes a watched key shortly before expiry and leaves an unwatched one alone', async () => {
    const { upstream, cache, clock } = setup({ refreshAheadMs: 20_000 });
    await cache.prime([stats(2)]); // primed, never read: not watched
    await cache.read(stats(1));
    clock.advance(90_000);
    expect(await cache.refreshAhead()).toBe(0);
    clock.advance(15_000); // 105 s: inside the last 20 s of the TTL
    expect(await cache.refreshAhead()).toBe(1);
    expect(upstream.calls(stats(1))).toBe(2);
    expect(upstream.calls(stats(2))).toBe(1);
    const read = await cache.read(stats(1));
    expect(read.meta).toMatchObject({ origin: 'CACHE', fetchedAt: clock.now() });
  });

  it('a subscription keeps a key refreshed beyond the read window until unwatched', async () => {
    const { upstream, cache, clock } = setup();
    cache.watch(stats(3));
    expect(await cache.refreshAhead()).toBe(1); // cold watched key is primed
    clock.advance(10 * TTL);
    expect(await cache.refreshAhead()).toBe(1);
    cache.unwatch(stats(3));
    clock.advance(10 * TTL);
    expect(await cache.refreshAhead()).toBe(0);
    expect(upstream.calls(stats(3))).toBe(2);
  });

  it('lists entries for cacheStats with state, size, counts and errors', async () => {
    const { upstream, cache, clock } = setup({ errorBackoffMs: 60_000 });
    await cache.read(mailboxes(4));
    await cache.read(mailboxes(4));
    await cache.read(stats(4));
    clock.advance(TTL + 5_000);
    upstream.failWith(timeout());
    await cache.refresh(stats(4));
    const rows = await cache.entries();
    expect(rows).toHaveLength(2);
    const [mail, st] = rows;
    expect(mail).toMatchObject({ key: 'sender-emails:4', kind: 'sender-emails', workspaceId: 4, ageSeconds: 125, recordCount: 1, state: 'stale', hits: 1, misses: 1, lastError: null });
    expect(mail.sizeBytes).toBe(Buffer.byteLength(JSON.stringify([{ id: 1, email: 'm1@example.com' }])));
    expect(st).toMatchObject({ kind: 'stats', state: 'error', lastError: { code: 'UPSTREAM_TIMEOUT' } });
  });

  it('reports state changes and read outcomes to the observer', async () => {
    const rec = recordingObserver();
    const { cache, clock } = setup({ observer: rec.observer });
    await cache.read(stats(1));
    await cache.read(stats(1));
    clock.advance(TTL);
    const landed = nextChange(cache, resourceKey(stats(1)), (o) => o === 'UPSTREAM');
    await cache.read(stats(1));
    await landed;
    expect(rec.reads).toEqual(['stats:miss', 'stats:hit', 'stats:stale']);
    expect(rec.states.map((s) => s.status)).toEqual(['updating', 'fresh', 'stale', 'updating', 'fresh']);
  });

  it('two replicas sharing one store make one fetch between them for a cold key', async () => {
    const clock = new ManualClock('2026-03-10T09:00:00Z');
    const upstream = fakeUpstream();
    const made = kind.create();
    const a = makeCache(made.store, upstream, clock, { lock: made.lock(clock) });
    const b = makeCache(made.replica(), upstream, clock, { lock: made.lock(clock) });
    upstream.hold();
    const readsA = Array.from({ length: 20 }, () => a.read(mailboxes(9)));
    await upstream.untilHeld(1); // A holds the lease and is fetching
    const readsB = Array.from({ length: 20 }, () => b.read(mailboxes(9)));
    await settle();
    upstream.release();
    const results = await Promise.all([...readsA, ...readsB]);
    expect(upstream.calls()).toBe(1);
    expect(results.every((r) => JSON.stringify(r.value) === JSON.stringify(results[0].value))).toBe(true);
    expect(results[20].meta.origin).toBe('CACHE'); // B got A's value from the shared store
  });

  it('two replicas refresh an expired key once between them', async () => {
    const clock = new ManualClock('2026-03-10T09:00:00Z');
    const upstream = fakeUpstream();
    const made = kind.create();
    const a = makeCache(made.store, upstream, clock, { lock: made.lock(clock) });
    const b = makeCache(made.replica(), upstream, clock, { lock: made.lock(clock) });
    await a.read(stats(5));
    clock.advance(TTL + 1);
    upstream.hold();
    const landed = nextChange(a, resourceKey(stats(5)), (o) => o === 'UPSTREAM');
    expect((await a.read(stats(5))).meta.origin).toBe('CACHE');
    await upstream.untilHeld(1);
    expect((await b.read(stats(5))).meta.origin).toBe('CACHE');
    upstream.release();
    await landed;
    expect(upstream.calls(stats(5))).toBe(2);
    expect((await b.read(stats(5))).value).toEqual({ key: resourceKey(stats(5)), call: 2 });
  });

  it('rejects a read whose resource has no positive TTL, naming the key and the value', async () => {
    const { cache } = setup({ ttlMs: () => 0 });
    await expect(cache.read(stats(1))).rejects.toThrow('cache: the TTL of stats:1:2026-03-01:2026-03-10 must be a positive number of milliseconds, got 0');
  });
});
