/**
 * The cache's public shapes. A read never throws for an upstream failure: it answers with the best
 * value it may serve (fresh, stale, or stale-if-error) plus the metadata that says how good it is.
 */
import type { CacheStatus, TriggeredBy } from '../../monitoring/events';
import type { SourceErrorInfo } from '../errors';
import type { Freshness } from '../freshness';
import type { Resource, ResourceKind, ValueOf } from '../resources';

/** What the cache calls to load a resource from upstream (the Email Bison client provides it). */
export type Fetcher = <R extends Resource>(
  resource: R,
  ctx: { priority: 'interactive' | 'background'; triggeredBy: TriggeredBy },
) => Promise<ValueOf<R>>;

/**
 * Where a read's value came from: `UPSTREAM` (this read waited for a fetch), `CACHE` (stored value,
 * fresh or stale-while-revalidate), `STALE_CACHE` (the last refresh failed; served stale-if-error),
 * `NONE` (nothing usable).
 */
export type DataOrigin = 'UPSTREAM' | 'CACHE' | 'STALE_CACHE' | 'NONE';

export interface EntryMeta {
  key: string;
  workspaceId: number | null;
  /** Upstream fetch time of the value served (epoch ms), null when nothing is served. */
  fetchedAt: number | null;
  origin: DataOrigin;
  /** A refresh of this key is in flight in this process. */
  refreshing: boolean;
  /** When this value turns stale for the reader's TTL (epoch ms). */
  nextRefreshAt: number | null;
  /** Human note for the client, e.g. "served from stale cache: upstream timed out". */
  message: string | null;
  /** Set when the last attempt failed (also when a stale value is served in its place). */
  error: SourceErrorInfo | null;
  /** First failure since the last success (epoch ms), while failing. */
  failingSince: number | null;
  /** A webhook said the upstream data changed since it was fetched (epoch ms). */
  invalidatedAt: number | null;
  /** Served from this replica's own copy: the shared cache (Redis) did not answer. */
  localCopy?: true;
}

export interface CacheRead<T> {
  value: T | null;
  meta: EntryMeta;
}

export interface CacheFilter {
  workspaceId?: number;
  kinds?: ResourceKind[];
}

/** One row of `cacheStats`. */
export interface CacheEntryStats {
  key: string;
  kind: ResourceKind;
  workspaceId: number | null;
  fetchedAt: number | null;
  ageSeconds: number | null;
  sizeBytes: number;
  recordCount: number;
  state: CacheStatus;
  /** The entry judged by its resource's TTL, with the rule every surface uses. */
  freshness: Freshness;
  /** Reads answered from cache by this process (fresh or stale). */
  hits: number;
  /** Reads that had to wait for upstream in this process. */
  misses: number;
  lastError: SourceErrorInfo | null;
}

export interface CacheChangeEvent {
  resource: Resource;
  key: string;
  meta: EntryMeta;
}
export type CacheChangeListener = (event: CacheChangeEvent) => void;
