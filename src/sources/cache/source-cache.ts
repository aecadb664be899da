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
import { createMaintenance, type Maintenance } from './maintenance';
import { lazyRedisLock, type RefreshLock } from './lock';
import { describe, failedSinceFetch, isCleared, isExpired, isInvalidated, isTooOld, staleMessage, tooOldError, type MetaFacts } from './entry-meta';
import { createFlights, type FlightResult } from './flight';
import { createNotifier, type Notifier } from './notify';
import type { CacheStore, StoredEntry, StoredMeta } from './store';
import type { CacheRead, EntryMeta, Fetcher } from './types';
import { createWatchList } from './watch-list';

export interface SourceCacheOptions {
  store: CacheStore;
  fetch: Fetcher;
  /** When a resource is due for a refresh: the freshness policy's `resourceTtlMs` of its kind. */
  ttlMs: (resource: Resource) => number;
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
  /** Cross-replica lease length (renewed while its fetch runs: how soon a dead holder is replaced) and how often a waiting replica looks. @default 60 s, 50 ms */
  leaseMs?: number;
  pollMs?: number;
}

export interface ReadOptions {
  triggeredBy?: TriggeredBy;
}

export interface SourceCache {
  /** The best value this reader may have now, and how good it is. Never rejects for an upstream failure. */
  read<R extends Resource>(resource: R, opts?: ReadOptions): Promise<CacheRead<ValueOf<R>>>;
  /** Forces a refetch (joining one already in flight) and answers with the outcome. */
  refresh<R extends Resource>(resource: R, opts?: ReadOptions): Promise<CacheRead<ValueOf<R>>>;
  /** Start-up priming: fills missing or expired entries in the background. */
  prime(resources: Resource[]): Promise<{ fresh: number; failed: number }>;
  /** Refreshes watched keys about to expire (or marked stale). Resolves with how many landed. */
  refreshAhead(): Promise<number>;
  markStale: Maintenance['markStale'];
  clear: Maintenance['clear'];
  entries: Maintenance['entries'];
  /** Keep this key fresh until `unwatch` (a subscription counts as a reader). */
  watch(resource: Resource): void;
  unwatch(resource: Resource): void;
  onChange: Notifier['onChange'];
  /**
   * What a reader of a key is told may have changed without an `onChange` event: a refresh of it
   * started or ended in this process (`refreshing`), whatever its outcome, or it was cleared.
   * Listener faults are swallowed.
   */
  onAltered(listener: (key: string, cause: 'flight' | 'cleared') => void): () => void;
  /** Starts the refresh-ahead timer. */
  start(): void;
  stop(): void;
}

export function createSourceCache(options: SourceCacheOptions): SourceCache {
  const {
    store, fetch, clock = systemClock, observer = nullObserver, staleIfErrorMs = 3_600_000,
    errorBackoffMs = 30_000, refreshAheadMs = 20_000, tickMs = 5_000, staleDebounceMs = 2_000,
    leaseMs = 60_000, pollMs = 50,
  } = options;
  const lock = options.lock !== undefined ? options.lock : store.kind === 'redis' ? lazyRedisLock(() => store.redis(), `${store.prefix}:lock`) : null;
  const ttlOf = options.ttlMs;
  const notify = createNotifier(observer);
  const watches = createWatchList(ttlOf);
  const counters = new Map<string, { hits: number; misses: number }>();
  const countersOf = (key: string) => counters.get(key) ?? counters.set(key, { hits: 0, misses: 0 }).get(key)!;

  function ttlChecked(resource: Resource, key: string): number {
    const ttlMs = ttlOf(resource);
    if (!(ttlMs > 0)) throw new TypeError(`cache: the TTL of ${key} must be a positive number of milliseconds, got ${ttlMs}`);
    return ttlMs;
  }

  const facts = (resource: Resource, key: string, rest: Partial<MetaFacts> & Pick<MetaFacts, 'origin'>): MetaFacts => ({
    key, workspaceId: workspaceOf(resource), refreshing: flights.isInFlight(key), ttlMs: ttlOf(resource), errorBackoffMs, ...rest,
  });

  /** What a reader gets once a flight is over (also what `onChange` listeners are told). */
  function afterFlight<T>(resource: Resource, key: string, result: FlightResult, before?: StoredEntry): CacheRead<T> {
    if (result.kind === 'landed') {
      const origin = result.fetchedHere ? 'UPSTREAM' : 'CACHE';
      return { value: result.entry.value as T, meta: describe(result.entry.meta, facts(resource, key, { origin })) };
    }
    const fallback = result.kind === 'failed' && result.entry?.value != null ? result.entry : before;
    const error = result.kind === 'failed' ? result.error : (fallback?.meta.lastError ?? null);
    const now = clock.now();
    if (fallback && fallback.value !== null && !isTooOld(fallback.meta, now, staleIfErrorMs)) {
      const origin = error ? 'STALE_CACHE' : 'CACHE';
      return { value: fallback.value as T, meta: describe(fallback.meta, facts(resource, key, { origin, error, message: error ? staleMessage(error) : null })) };
    }
    const shown = error && fallback?.value != null ? tooOldError(error, now - fallback.meta.fetchedAt!, staleIfErrorMs) : error;
    return { value: null, meta: describe(fallback?.meta, facts(resource, key, { origin: 'NONE', error: shown, message: shown?.message ?? null })) };
  }

  const alteredListeners = new Set<(key: string, cause: 'flight' | 'cleared') => void>();
  function altered(key: string, cause: 'flight' | 'cleared' = 'flight'): void {
    for (const listener of alteredListeners) {
      try {
        listener(key, cause);
      } catch {
        // a listener's fault is its own
      }
    }
  }
  const flights = createFlights({
    store, fetch, clock, lock, leaseMs, pollMs,
    onFetch: (resource, key) => notify.state(resource, key, 'updating', undefined),
    onStart: (key) => altered(key),
    onDone(resource, key, result) {
      altered(key);
      if (result.kind === 'skipped') return;
      const stored = result.entry?.meta;
      const status = result.kind === 'landed' ? 'fresh' : 'error';
      notify.state(resource, key, status, stored, { landed: result.durationMs !== null, fetchDurationMs: result.durationMs });
      notify.change(resource, key, afterFlight(resource, key, result).meta);
    },
  });

  /**
   * A fresh hit's answer depends only on the stored meta and whether a refresh is in flight: reuse
   * the last one built for a stored meta record while those are unchanged (a warm memory read then
   * allocates nothing; every write replaces the record). Readers treat `CacheRead`s as immutable.
   * The Redis store hands out the same record while Redis vouches for it (./tracking.ts). A value whose last refresh
   * failed is never a plain hit: it is served flagged, stale-if-error, until a fetch succeeds.
   */
  const hits = new WeakMap<StoredMeta, { refreshing: boolean; value: unknown; answer: CacheRead<unknown> }>();
  function freshHit<T>(resource: Resource, key: string, entry: StoredEntry<T>): CacheRead<T> {
    const refreshing = flights.isInFlight(key);
    const last = hits.get(entry.meta);
    if (last && last.refreshing === refreshing && last.value === entry.value) return last.answer as CacheRead<T>;
    const answer: CacheRead<T> = { value: entry.value, meta: describe(entry.meta, facts(resource, key, flagsOf(entry.meta))) };
    hits.set(entry.meta, { refreshing, value: entry.value, answer });
    return answer;
  }

  /** CACHE, or STALE_CACHE with the error and its message when the last attempt failed. */
  function flagsOf(stored: StoredMeta): Pick<MetaFacts, 'origin' | 'error' | 'message'> {
    if (!failedSinceFetch(stored)) return { origin: 'CACHE' };
    return { origin: 'STALE_CACHE', error: stored.lastError, message: staleMessage(stored.lastError) };
  }

  function refreshInBackground(resource: Resource, seenVersion: number, triggeredBy: TriggeredBy, force = false) {
    return flights.run(resource, { priority: 'background', triggeredBy, seenVersion, force });
  }

  async function read<R extends Resource>(resource: R, opts: ReadOptions = {}): Promise<CacheRead<ValueOf<R>>> {
    const key = resourceKey(resource);
    const ttlMs = ttlChecked(resource, key);
    watches.touch(resource, clock.now(), key);
    // The memory store answers a present entry without I/O; anything else takes the async path.
    const entry = store.peek<ValueOf<R>>(key) ?? (await store.get<ValueOf<R>>(key).catch(() => undefined));
    const now = clock.now();
    // Nothing, nothing servable, or cleared: wait for the upstream (a cleared value is the fallback).
    if (!entry || entry.value === null || isCleared(entry.meta) || isTooOld(entry.meta, now, staleIfErrorMs)) {
      countersOf(key).misses += 1;
      const seenVersion = entry?.meta.version ?? 0;
      const result = await flights.run(resource, { priority: 'interactive', triggeredBy: opts.triggeredBy ?? 'request', seenVersion });
      const answer = afterFlight<ValueOf<R>>(resource, key, result, entry);
      notify.read(resource.kind, answer.meta.origin === 'NONE' ? 'error' : answer.meta.origin === 'STALE_CACHE' ? 'stale_if_error' : 'miss');
      return answer;
    }
    countersOf(key).hits += 1;
    const stored = entry.meta;
    const failed = failedSinceFetch(stored);
    if (!isExpired(stored, now, ttlMs)) {
      notify.read(resource.kind, failed ? 'stale_if_error' : 'hit');
      return freshHit(resource, key, entry as StoredEntry<ValueOf<R>>);
    }
    if (!failed && notify.status(key) === 'fresh') {
      notify.state(resource, key, 'stale', stored);
      notify.change(resource, key, describe(stored, facts(resource, key, { origin: 'CACHE' })));
    }
    if (!failed || now - stored.lastErrorAt! >= errorBackoffMs) void refreshInBackground(resource, stored.version, 'background');
    notify.read(resource.kind, failed ? 'stale_if_error' : 'stale');
    return { value: entry.value, meta: describe(stored, facts(resource, key, flagsOf(stored))) };
  }

  async function refresh<R extends Resource>(resource: R, opts: ReadOptions = {}): Promise<CacheRead<ValueOf<R>>> {
    const key = resourceKey(resource);
    const before = await store.get<ValueOf<R>>(key).catch(() => undefined);
    const req = { priority: 'interactive' as const, triggeredBy: opts.triggeredBy ?? 'refresh', seenVersion: before?.meta.version ?? 0, force: true };
    return afterFlight<ValueOf<R>>(resource, key, await flights.run(resource, req), before);
  }

  async function refreshAhead(): Promise<number> {
    const now = clock.now();
    const runs = watches.active(now).map(async (w) => {
      if (flights.isInFlight(w.key)) return false;
      const meta = await store.getMeta(w.key).catch(() => undefined);
      if (meta && failedSinceFetch(meta) && now - meta.lastErrorAt! < errorBackoffMs) return false;
      const ttlMs = ttlOf(w.resource);
      const lead = Math.min(refreshAheadMs, ttlMs / 2);
      if (meta && meta.fetchedAt !== null && !isInvalidated(meta) && now < meta.fetchedAt + ttlMs - lead) return false;
      const result = await refreshInBackground(w.resource, meta?.version ?? 0, 'background');
      return result.kind === 'landed';
    });
    return (await Promise.all(runs)).filter(Boolean).length;
  }

  async function prime(resources: Resource[]): Promise<{ fresh: number; failed: number }> {
    const results = await Promise.all(resources.map(async (resource) => {
      const meta = await store.getMeta(resourceKey(resource)).catch(() => undefined);
      if (meta && !isExpired(meta, clock.now(), ttlOf(resource))) return true;
      return (await refreshInBackground(resource, meta?.version ?? 0, 'prime')).kind !== 'failed';
    }));
    const fresh = results.filter(Boolean).length;
    return { fresh, failed: results.length - fresh };
  }

  const maintenance = createMaintenance({
    store, clock, notify, watches, flights, counters, ttlOf, staleDebounceMs,
    describeStale: (resource, key, stored) => describe(stored, facts(resource, key, { origin: 'CACHE' })),
    describeEntry: (resource, key, stored) => describe(stored, facts(resource, key, stored.fetchedAt === null ? { origin: 'NONE', error: stored.lastError } : flagsOf(stored))),
    refreshWatched: (resource, seenVersion) => void refreshInBackground(resource, seenVersion, 'webhook', true),
    cleared: (key) => altered(key, 'cleared'),
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
    watch: (resource) => watches.subscribe(resource),
    unwatch: (resource) => watches.unsubscribe(resource),
    onChange: notify.onChange,
    onAltered(listener) {
      alteredListeners.add(listener);
      return () => void alteredListeners.delete(listener);
    },
    start() {
      if (timer) return;
      timer = setInterval(() => void refreshAhead(), tickMs);
      timer.unref?.();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
      maintenance.stop();
    },
  };
}

export type { EntryMeta };
