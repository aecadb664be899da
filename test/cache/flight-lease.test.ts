/**
 * The refresh lease across replicas on the real Redis, for fetches longer than the lease: two
 * source caches on one key prefix (two replicas). The holder renews its lease while it fetches, so
 * the other replica waits for its value however long the fetch takes and never fetches the key a
 * second time; a holder that dies mid-fetch (its Redis connection gone, so it renews nothing) loses
 * the lease within its length and the waiting replica takes over.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { resourceKey } from '../../src/sources/resources';
import { fakeUpstream, mailboxes, makeCache, ManualClock, redisKind } from './harness';

// Short enough for a test, long enough that a loaded machine's event-loop stalls never lapse a renewed lease (renewed every 500 ms).
const LEASE_MS = 1_500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a fetch longer than the refresh lease, across two replicas on Redis', () => {
  const kind = redisKind();
  afterAll(() => kind.cleanup());

  function twoReplicas() {
    const clock = new ManualClock('2026-03-10T09:00:00Z');
    const upstream = fakeUpstream();
    const made = kind.create();
    const storeB = made.replica();
    const a = makeCache(made.store, upstream, clock, { leaseMs: LEASE_MS });
    const b = makeCache(storeB, upstream, clock, { leaseMs: LEASE_MS });
    return { upstream, made, a, b, storeA: made.store };
  }

  it('is fetched once: the holder keeps its lease and the other replica waits for its value', async () => {
    const { upstream, a, b, made } = twoReplicas();
    upstream.hold();
    const readA = a.read(mailboxes(3));
    await upstream.untilHeld(1); // A holds the lease and is fetching
    let bDone = false;
    const readB = b.read(mailboxes(3)).finally(() => (bDone = true));
    // Three lease lengths: an unrenewed lease would have lapsed twice over and B would have fetched.
    await sleep(3 * LEASE_MS);
    expect(upstream.calls()).toBe(1);
    expect(bDone).toBe(false); // still waiting for A's value
    expect(await made.store.redis().then((r) => r!.eval("return redis.call('pttl', KEYS[1])", { keys: [`${made.store.prefix}:lock:${resourceKey(mailboxes(3))}`], arguments: [] }))).toBeGreaterThan(0);
    upstream.release();
    const [ra, rb] = await Promise.all([readA, readB]);
    expect(upstream.calls()).toBe(1);
    expect(ra.meta.origin).toBe('UPSTREAM');
    expect(rb.meta.origin).toBe('CACHE'); // A's value, from the shared store
    expect(rb.value).toEqual(ra.value);
  }, 30_000);

  it('is taken over when its holder dies mid-fetch: the lease lapses and the waiting replica fetches', async () => {
    const { upstream, a, b, storeA } = twoReplicas();
    upstream.hold();
    const readA = a.read(mailboxes(4));
    await upstream.untilHeld(1);
    const readB = b.read(mailboxes(4));
    await sleep(LEASE_MS); // B is waiting on a live, renewed lease
    expect(upstream.calls()).toBe(1);
    await storeA.close(); // A "dies": it can no longer renew its lease
    await vi.waitFor(() => expect(upstream.calls()).toBe(2), { timeout: 10 * LEASE_MS, interval: 20 }); // B took the lease over
    upstream.release();
    const rb = await readB;
    expect(rb.meta.origin).toBe('UPSTREAM');
    expect(rb.value).toEqual([{ id: 2, email: 'm2@example.com' }]);
    await readA.catch(() => {});
  }, 30_000);
});
