/**
 * The shared source cache: every dashboard reads upstream resources through it.
 *
 * - missing (or older than stale-if-error allows): fetch interactively and wait;
 * - fresh for the reader's TTL: answer from the store;
 * - expired: answer with the stale value at once and refresh in the background (one refresh per
 *   key, across replicas);
 * - last refresh failed: keep serving the old value, flagged `STALE_CACHE`, up to `staleIfErrorMs`;
 * - nothing usable: `value: null` with the error. Upstream failures never throw.
 * Keys someone watches are refreshed ahead of expiry, so readers rarely wait.
 */
import { systemClock, type Clock } from '../../clock';
import { nullObserver, type SourceObserver, type TriggeredBy } from '../../monitoring/events';
import { resourceKey, workspaceOf, type Resource, type ValueOf } from '../resources';
import { createMaintenance } from './maintenance';
import { lazyRedisLock, type RefreshLock } from './lock';
import { describe, failedSinceFetch, isExpired, isTooOld, staleMessage, tooOldError, type MetaFacts } from './entry-meta';
import { createFlights, type FlightResult } from './flight';
import { createNotifier } from './notify';
import type { CacheStore, StoredEntry, StoredMeta } from './store';
import type { CacheRead, EntryMeta, Fetcher } from './types';
import { createWatchList } from './watch-list';

export interface SourceCacheOptions {
  store: CacheStore;
  fetch: Fetcher;
  clock?: Clock;
  observer?: SourceObserver;
  /** How old a value may be and still be served when upstream fails. @default 1 h */
  staleIfErrorMs?: number;
  /** Cross-replica lease. @default a Redis lease for a Redis store, none in memory */
  lock?: RefreshLock | null;
  /** After a failed refresh, wait this long before trying the key again. @default 30 s */
  errorBackoffMs?: number;
  /** Refresh watched keys this long before they expire (at most half the TTL). @default 20 s */
  refreshAheadMs?: number;
  /** Refresh-ahead timer period. @default 5 s */
  tickMs?: number;
  /** Webhooks in a burst cause one refresh after this quiet period. @default 2 s */
  staleDebounceMs?: number;
  /** Cross-replica lease length, poll period and longest wait. @default 60 s, 50 ms, 15 s */
  leaseMs?: number;
  pollMs?: number;
  waitMs?: number;
}

export interface ReadOptions {
  /** Freshness the reader wants (its dashboard's TTL). */
  ttlMs: number;
  triggeredBy?: TriggeredBy;
}

export function createSourceCache(options: SourceCacheOptions) {
  const {
    store, fetch, clock = systemClock, observer = nullObserver, staleIfErrorMs = 3_600_000,
    errorBackoffMs = 30_000, refreshAheadMs = 20_000, tickMs = 5_000, staleDebounceMs = 2_000,
    leaseMs = 60_000, pollMs = 50, waitMs = 15_000,
  } = options;
  const lock = options.lock !== undefined ? options.lock : store.kind === 'redis' ? lazyRedisLock(() => store.redis(), `${store.prefix}:lock`) : null;
  const notify = createNotifier(observer);
  const watches = createWatchList();
  const counters = new Map<string, { hits: number; misses: number }>();
  const countersOf = (key: string) => counters.get(key) ?? counters.set(key, { hits: 0, misses: 0 }).get(key)!;
  const ttlOf = (key: string, stored?: StoredMeta) => watches.get(key)?.ttlMs ?? stored?.ttlMs ?? 0;

  const facts = (resource: Resource, key: string, ttlMs: number, rest: Partial<MetaFacts> & Pick<MetaFacts, 'origin'>): MetaFacts => ({
    key, workspaceId: workspaceOf(resource), refreshing: flights.isInFlight(key), ttlMs, errorBackoffMs, ...rest,
  });

  /** What a reader gets once a flight is over (also what `onChange` listeners are told). */
  function afterFlight<T>(resource: Resource, key: string, result: FlightResult, ttlMs: number, before?: StoredEntry): CacheRead<T> {
    if (result.kind === 'landed') {
      const origin = result.fetchedHere ? 'UPSTREAM' : 'CACHE';
      return { value: result.entry.value as T, meta: describe(result.entry.meta, facts(resource, key, ttlMs, { origin })) };
    }
    const fallback = result.kind === 'failed' && result.entry?.value != null ? result.entry : before;
    const error = result.kind === 'failed' ? result.error : (fallback?.meta.lastError ?? null);
    const now = clock.now();
    if (fallback && fallback.value !== null && !isTooOld(fallback.meta, now, staleIfErrorMs)) {
      const origin = error ? 'STALE_CACHE' : 'CACHE';
      return { value: fallback.value as T, meta: describe(fallback.meta, facts(resource, key, ttlMs, { origin, error, message: error ? staleMessage(error) : null })) };
    }
    const shown = error && fallback?.value != null ? tooOldError(error, now - fallback.meta.fetchedAt!, staleIfErrorMs) : error;
    return { value: null, meta: describe(fallback?.meta, facts(resource, key, ttlMs, { origin: 'NONE', error: shown, message: shown?.message ?? null })) };
  }

  const flights = createFlights({
    store, fetch, clock, lock, leaseMs, pollMs, waitMs,
    onFetch: (resource, key) => notify.state(resource, key, 'updating', undefined),
    onDone(resource, key, result) {
      if (result.kind === 'skipped') return;
      const stored = result.entry?.meta;
      const status = result.kind === 'landed' ? 'fresh' : 'error';
      notify.state(resource, key, status, stored, { landed: result.durationMs !== null, fetchDurationMs: result.durationMs });
      notify.change(resource, key, afterFlight(resource, key, result, ttlOf(key, stored)).meta);
    },
  });

  /**
   * A fresh hit's answer depends only on the stored meta, the reader's TTL and whether a refresh is
   * in flight: reuse the last one built for a stored meta record while those are unchanged (a warm
   * memory read then allocates nothing; every write replaces the record). Readers treat
   * `CacheRead`s as immutable. Redis parses a new record per read, so there is nothing to reuse.
   */
  const hits = new WeakMap<StoredMeta, { ttlMs: number; refreshing: boolean; value: unknown; answer: CacheRead<unknown> }>();
  function freshHit<T>(resource: Resource, key: string, ttlMs: number, entry: StoredEntry<T>): CacheRead<T> {
    const refreshing = flights.isInFlight(key);
    const last = hits.get(entry.meta);
    if (last && last.ttlMs === ttlMs && last.refreshing === refreshing && last.value === entry.value) return last.answer as CacheRead<T>;
    const answer: CacheRead<T> = { value: entry.value, meta: describe(entry.meta, facts(resource, key, ttlMs, { origin: 'CACHE' })) };
    if (store.kind === 'memory') hits.set(entry.meta, { ttlMs, refreshing, value: entry.value, answer });
    return answer;
  }

  function refreshInBackground(resource: Resource, ttlMs: number, seenVersion: number, triggeredBy: TriggeredBy, force = false) {
    return flights.run(resource, { priority: 'background', triggeredBy, ttlMs, seenVersion, force });
  }

  async function read<R extends Resource>(resource: R, opts: ReadOptions): Promise<CacheRead<ValueOf<R>>> {
    const { ttlMs } = opts;
    if (!(ttlMs > 0)) throw new TypeError(`cache.read(${resourceKey(resource)}): ttlMs must be a positive number of milliseconds, got ${ttlMs}`);
    const key = resourceKey(resource);
    watches.touch(resource, ttlMs, clock.now(), key);
    // The memory store answers a present entry without I/O; anything else takes the async path.
    const entry = store.peek<ValueOf<R>>(key) ?? (await store.get<ValueOf<R>>(key).catch(() => undefined));
    const now = clock.now();
    if (!entry || entry.value === null || isTooOld(entry.meta, now, staleIfErrorMs)) {
      countersOf(key).misses += 1;
      const seenVersion = entry?.meta.version ?? 0;
      const result = await flights.run(resource, { priority: 'interactive', triggeredBy: opts.triggeredBy ?? 'request', ttlMs, seenVersion });
      const answer = afterFlight<ValueOf<R>>(resource, key, result, ttlMs, entry);
      notify.read(resource.kind, answer.meta.origin === 'NONE' ? 'error' : answer.meta.origin === 'STALE_CACHE' ? 'stale_if_error' : 'miss');
      return answer;
    }
    countersOf(key).hits += 1;
    const stored = entry.meta;
    if (!isExpired(stored, now, ttlMs)) {
      notify.read(resource.kind, 'hit');
      return freshHit(resource, key, ttlMs, entry as StoredEntry<ValueOf<R>>);
    }
    const failed = failedSinceFetch(stored);
    if (!failed && notify.status(key) === 'fresh') {
      notify.state(resource, key, 'stale', stored);
      notify.change(resource, key, describe(stored, facts(resource, key, ttlMs, { origin: 'CACHE' })));
    }
    if (!failed || now - stored.lastErrorAt! >= errorBackoffMs) void refreshInBackground(resource, ttlMs, stored.version, 'background');
    notify.read(resource.kind, failed ? 'stale_if_error' : 'stale');
    const flagged = failed ? { error: stored.lastError, message: staleMessage(stored.lastError) } : {};
    return { value: entry.value, meta: describe(stored, facts(resource, key, ttlMs, { origin: failed ? 'STALE_CACHE' : 'CACHE', ...flagged })) };
  }

  /** Forces a refetch (joining one already in flight) and answers with the outcome. */
  async function refresh<R extends Resource>(resource: R, opts: ReadOptions): Promise<CacheRead<ValueOf<R>>> {
    const key = resourceKey(resource);
    const before = await store.get<ValueOf<R>>(key).catch(() => undefined);
    const req = { priority: 'interactive' as const, triggeredBy: opts.triggeredBy ?? 'refresh', ttlMs: opts.ttlMs, seenVersion: before?.meta.version ?? 0, force: true };
    return afterFlight<ValueOf<R>>(resource, key, await flights.run(resource, req), opts.ttlMs, before);
  }

  /** Refresh-ahead: refreshes watched keys about to expire (or marked stale). Resolves with how many landed. */
  async function refreshAhead(): Promise<number> {
    const now = clock.now();
    const runs = watches.active(now).map(async (w) => {
      if (flights.isInFlight(w.key)) return false;
      const meta = await store.getMeta(w.key).catch(() => undefined);
      if (meta && failedSinceFetch(meta) && now - meta.lastErrorAt! < errorBackoffMs) return false;
      const lead = Math.min(refreshAheadMs, w.ttlMs / 2);
      if (meta && meta.fetchedAt !== null && meta.invalidatedAt === null && now < meta.fetchedAt + w.ttlMs - lead) return false;
      const result = await refreshInBackground(w.resource, w.ttlMs, meta?.version ?? 0, 'background');
      return result.kind === 'landed';
    });
    return (await Promise.all(runs)).filter(Boolean).length;
  }

  /** Start-up priming: fills missing or expired entries in the background. */
  async function prime(resources: Resource[], ttlMs: number): Promise<{ fresh: number; failed: number }> {
    const results = await Promise.all(resources.map(async (resource) => {
      const meta = await store.getMeta(resourceKey(resource)).catch(() => undefined);
      if (meta && !isExpired(meta, clock.now(), ttlMs)) return true;
      return (await refreshInBackground(resource, ttlMs, meta?.version ?? 0, 'prime')).kind !== 'failed';
    }));
    const fresh = results.filter(Boolean).length;
    return { fresh, failed: results.length - fresh };
  }

  const maintenance = createMaintenance({
    store, clock, notify, watches, flights, counters, ttlOf, staleDebounceMs,
    describeStale: (resource, key, stored) => describe(stored, facts(resource, key, ttlOf(key, stored), { origin: 'CACHE' })),
    refreshWatched: (resource, ttlMs, seenVersion) => void refreshInBackground(resource, ttlMs, seenVersion, 'webhook', true),
  });

  let timer: ReturnType<typeof setInterval> | null = null;
  return {
    read,
    refresh,
    prime,
    refreshAhead,
    markStale: maintenance.markStale,
    clear: maintenance.clear,
    entries: maintenance.entries,
    /** Keep this key fresh until `unwatch` (a subscription). */
    watch: (resource: Resource, ttlMs: number) => watches.subscribe(resource, ttlMs, clock.now()),
    unwatch: (resource: Resource) => watches.unsubscribe(resource),
    onChange: notify.onChange,
    /** Starts the refresh-ahead timer. */
    start(): void {
      if (timer) return;
      timer = setInterval(() => void refreshAhead(), tickMs);
      timer.unref?.();
    },
    stop(): void {
      if (timer) clearInterval(timer);
      timer = null;
      maintenance.stop();
    },
  };
}

export type SourceCache = ReturnType<typeof createSourceCache>;
export type { EntryMeta };
