/**
 * One harness for the cache suites: a fake upstream the test drives by hand, and store factories
 * for memory and real Redis (unique prefix per run, every key removed afterwards).
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { ManualClock } from '../../src/clock';
import type { SourceObserver } from '../../src/monitoring/events';
import { createCacheStore, createMemoryLock, createSourceCache, type CacheStore, type RefreshLock, type SourceCacheOptions } from '../../src/sources/cache';
import type { Fetcher } from '../../src/sources/cache/types';
import { resourceKey, type Resource } from '../../src/sources/resources';

export const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

interface Deferred<T> { promise: Promise<T>; resolve(v: T): void; reject(e: unknown): void }
function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

/** An upstream the test controls: counts calls per key, can hold them or fail them. */
export function fakeUpstream() {
  const counts = new Map<string, number>();
  const held: Array<{ key: string; settle(): void; fail(e: unknown): void }> = [];
  let holding = false;
  const heldWaiters: Array<{ n: number; resolve(): void }> = [];
  let failure: unknown = null;
  const contexts: Array<{ key: string; priority: string; triggeredBy: string }> = [];
  const valueFor = (resource: Resource, n: number) =>
    resource.kind === 'sender-emails' ? [{ id: n, email: `m${n}@example.com` }] : { key: resourceKey(resource), call: n };

  const fetch = (async (resource, ctx) => {
    const key = resourceKey(resource);
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    contexts.push({ key, ...ctx });
    const error = failure;
    if (holding) {
      const d = deferred<unknown>();
      held.push({ key, settle: () => (error ? d.reject(error) : d.resolve(valueFor(resource, n))), fail: (e) => d.reject(e) });
      for (const w of heldWaiters.filter((w) => held.length >= w.n)) w.resolve();
      return d.promise;
    }
    if (error) throw error;
    return valueFor(resource, n);
  }) as Fetcher;

  return {
    fetch,
    contexts,
    calls: (resource?: Resource) => (resource ? (counts.get(resourceKey(resource)) ?? 0) : [...counts.values()].reduce((a, b) => a + b, 0)),
    /** Calls made from now on wait until `release()`. */
    hold: () => { holding = true; },
    heldCount: () => held.length,
    /** Resolves once `n` calls are being held (the cache reached upstream). */
    untilHeld: (n: number) => new Promise<void>((resolve) => (held.length >= n ? resolve() : heldWaiters.push({ n, resolve }))),
    release() {
      holding = false;
      for (const h of held.splice(0)) h.settle();
    },
    failWith(error: unknown) { failure = error; },
    succeed() { failure = null; },
  };
}
export type FakeUpstream = ReturnType<typeof fakeUpstream>;

/** Records what the cache told monitoring. */
export function recordingObserver() {
  const states: Array<{ key: string; status: string }> = [];
  const reads: string[] = [];
  const observer: SourceObserver = {
    attempt() {}, validation() {}, breaker() {},
    cacheState: (c) => void states.push({ key: c.key, status: c.status }),
    cacheRead: (resource, outcome) => void reads.push(`${resource}:${outcome}`),
  };
  return { observer, states, reads };
}

export interface StoreKind {
  name: 'memory' | 'redis';
  /** A store, and a second one standing for another replica sharing the same backing data. */
  create(): { store: CacheStore; replica(): CacheStore; lock(clock: ManualClock): RefreshLock | undefined };
  cleanup(): Promise<void>;
}

export function memoryKind(): StoreKind {
  return {
    name: 'memory',
    create() {
      const sharedMap = new Map<string, unknown>();
      let shared: RefreshLock | undefined;
      return {
        store: createCacheStore({ sharedMap }),
        replica: () => createCacheStore({ sharedMap }),
        // Memory stores have no lease by default; replicas sharing one Map share one lease table.
        lock: (clock) => (shared ??= createMemoryLock(clock)),
      };
    },
    cleanup: async () => {},
  };
}

export function redisKind(): StoreKind {
  const runPrefix = `test:cache:${randomUUID().slice(0, 8)}`;
  const opened: CacheStore[] = [];
  const open = (prefix: string) => {
    const s = createCacheStore({ redisUrl: REDIS_URL, prefix });
    opened.push(s);
    return s;
  };
  return {
    name: 'redis',
    create() {
      const prefix = `${runPrefix}:${randomUUID().slice(0, 8)}`;
      return { store: open(prefix), replica: () => open(prefix), lock: () => undefined };
    },
    async cleanup() {
      await Promise.all(opened.splice(0).map((s) => s.close().catch(() => {})));
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`${runPrefix}:*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    },
  };
}

export const TTL = 120_000;
export const STALE_IF_ERROR = 3_600_000;

/** A cache over `store` with test-friendly timings (fast polling, no debounce wait to speak of). */
export function makeCache(store: CacheStore, upstream: FakeUpstream, clock: ManualClock, extra: Partial<SourceCacheOptions> = {}) {
  return createSourceCache({
    store, fetch: upstream.fetch, clock, ttlMs: () => TTL, staleIfErrorMs: STALE_IF_ERROR, pollMs: 5, staleDebounceMs: 1, ...extra,
  });
}

/** Resolves with the next change event for `key` matching `pred`. */
export function nextChange(cache: ReturnType<typeof makeCache>, key: string, pred: (origin: string) => boolean = () => true) {
  return new Promise<{ origin: string; message: string | null }>((resolve) => {
    const off = cache.onChange((e) => {
      if (e.key === key && pred(e.meta.origin)) {
        off();
        resolve({ origin: e.meta.origin, message: e.meta.message });
      }
    });
  });
}

/** Lets pending promise callbacks and I/O run (not a wait for time to pass). */
export const settle = () => new Promise((resolve) => setImmediate(resolve));

export const stats = (workspaceId: number): Resource => ({ kind: 'stats', workspaceId, start: '2026-03-01', end: '2026-03-10' });
export const mailboxes = (workspaceId: number): Resource => ({ kind: 'sender-emails', workspaceId });
export { ManualClock };
