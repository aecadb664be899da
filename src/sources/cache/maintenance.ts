/**
 * Operations over many entries at once: webhook invalidation (`markStale`), `clearCache`, and the
 * `cacheStats` listing. Keys are matched by their resource kind and workspace, never by pattern.
 */
import type { Clock } from '../../clock';
import { cacheStatusOf, freshnessOf } from '../freshness';
import type { Resource, ResourceKind } from '../resources';
import { failedSinceFetch, isCleared, isInvalidated } from './entry-meta';
import type { Notifier } from './notify';
import type { CacheStore, StoredMeta } from './store';
import type { CacheEntryStats, CacheFilter, EntryMeta } from './types';
import type { WatchList } from './watch-list';

interface MaintenanceDeps {
  store: CacheStore;
  clock: Clock;
  notify: Notifier;
  watches: WatchList;
  flights: { isInFlight(key: string): boolean };
  counters: Map<string, { hits: number; misses: number }>;
  ttlOf(resource: Resource): number;
  staleDebounceMs: number;
  describeStale(resource: Resource, key: string, stored: StoredMeta): EntryMeta;
  /** What a reader would be told about the entry now (for `cacheStats`). */
  describeEntry(resource: Resource, key: string, stored: StoredMeta): EntryMeta;
  refreshWatched(resource: Resource, seenVersion: number): void;
  /** A key was cleared (readers now wait for a refetch). */
  cleared(key: string): void;
}

export interface Maintenance {
  /** Marks matching entries expired (webhooks); watched ones are refreshed soon after. Returns how many. */
  markStale(filter: CacheFilter): Promise<number>;
  /**
   * Makes matching entries (all without a filter) refetch on their next read; a value is kept only
   * as the stale-if-error fallback, so an upstream outage still serves flagged data. With
   * `{ keepFallback: false }` entries are deleted outright (data known to be wrong; test isolation).
   * Returns how many.
   */
  clear(filter?: CacheFilter, options?: { keepFallback?: boolean }): Promise<number>;
  /** One row per stored entry, for `cacheStats`. */
  entries(): Promise<CacheEntryStats[]>;
  stop(): void;
}

/** `stats:12:2026-11-01:2026-11-29` → kind `stats`, workspace 12; `workspaces` → no workspace. */
export function parseKey(key: string): { kind: ResourceKind; workspaceId: number | null } {
  const [kind, workspace] = key.split(':');
  return { kind: kind as ResourceKind, workspaceId: kind === 'workspaces' || workspace === undefined ? null : Number(workspace) };
}

export function matches(key: string, filter: CacheFilter = {}): boolean {
  const { kind, workspaceId } = parseKey(key);
  if (filter.workspaceId !== undefined && workspaceId !== filter.workspaceId) return false;
  return !filter.kinds || filter.kinds.includes(kind);
}

export function createMaintenance(d: MaintenanceDeps): Maintenance {
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  let stopped = false;

  /**
   * Debounced: a burst of webhooks for one workspace makes one refresh per watched key, and none
   * when a read has refreshed the entry meanwhile (a landed value clears `invalidatedAt`).
   */
  function scheduleRefresh(key: string, resource: Resource, version: number): void {
    clearTimeout(pending.get(key));
    const timer = setTimeout(async () => {
      pending.delete(key);
      const meta = await d.store.getMeta(key).catch(() => undefined);
      if (stopped || (meta && meta.invalidatedAt === null)) return;
      d.refreshWatched(resource, meta?.version ?? version);
    }, d.staleDebounceMs);
    timer.unref?.();
    pending.set(key, timer);
  }

  return {
    async markStale(filter: CacheFilter): Promise<number> {
      const now = d.clock.now();
      let marked = 0;
      for (const key of (await d.store.keys()).filter((k) => matches(k, filter))) {
        const meta = await d.store.getMeta(key);
        if (!meta || meta.fetchedAt === null) continue;
        const stale: StoredMeta = { ...meta, invalidatedAt: now };
        await d.store.putMeta(key, stale);
        marked += 1;
        d.notify.state(meta.resource, key, 'stale', stale);
        d.notify.change(meta.resource, key, d.describeStale(meta.resource, key, stale));
        const watched = d.watches.get(key);
        if (watched && d.watches.isWatched(key, now)) scheduleRefresh(key, watched.resource, meta.version);
      }
      return marked;
    },

    async clear(filter, { keepFallback = true } = {}) {
      const now = d.clock.now();
      let cleared = 0;
      for (const key of (await d.store.keys()).filter((k) => matches(k, filter))) {
        const meta = await d.store.getMeta(key);
        if (!meta || (keepFallback && isCleared(meta))) continue;
        if (keepFallback && meta.fetchedAt !== null && meta.version > 0) await d.store.putMeta(key, { ...meta, clearedAt: now });
        else await d.store.delete(key); // nothing to fall back on
        cleared += 1;
        d.notify.forget(key);
        d.counters.delete(key);
        d.watches.forget(key); // refresh-ahead must not refill what was just cleared
        d.cleared(key);
      }
      return cleared;
    },

    async entries(): Promise<CacheEntryStats[]> {
      const now = d.clock.now();
      const keys = (await d.store.keys()).sort();
      const metas = await Promise.all(keys.map((k) => d.store.getMeta(k)));
      return keys.flatMap((key, i) => {
        const meta = metas[i];
        if (!meta || isCleared(meta)) return []; // kept only as a fallback: no longer a cache entry
        const { kind, workspaceId } = parseKey(key);
        const counts = d.counters.get(key) ?? { hits: 0, misses: 0 };
        return [{
          key, kind, workspaceId,
          fetchedAt: meta.fetchedAt,
          ageSeconds: meta.fetchedAt === null ? null : Math.max(0, Math.floor((now - meta.fetchedAt) / 1000)),
          sizeBytes: meta.sizeBytes,
          recordCount: meta.recordCount,
          state: cacheStatusOf(
            { fetchedAt: meta.fetchedAt, failed: failedSinceFetch(meta), invalidated: isInvalidated(meta) },
            now, d.ttlOf(meta.resource), d.flights.isInFlight(key),
          ),
          freshness: freshnessOf([{ meta: d.describeEntry(meta.resource, key, meta), ttlMs: d.ttlOf(meta.resource) }], now),
          hits: counts.hits,
          misses: counts.misses,
          lastError: failedSinceFetch(meta) ? meta.lastError : null,
        }];
      });
    },

    stop(): void {
      stopped = true;
      for (const timer of pending.values()) clearTimeout(timer);
      pending.clear();
    },
  };
}
