/**
 * Per-request loaders: within one GraphQL request, the same resource is read from the shared cache
 * once however many fields need it. Create one per request (never share across requests: the
 * shared cache is the cross-request layer, with its own freshness rules).
 */
import { resourceKey, type Resource, type ValueOf } from './resources';
import type { CacheRead } from './cache/types';
import type { ReadOptions } from './cache/source-cache';

interface CacheReader {
  read<R extends Resource>(resource: R, opts: ReadOptions): Promise<CacheRead<ValueOf<R>>>;
}

export interface ResourceRequest {
  resource: Resource;
  ttlMs: number;
}

export interface Loaders {
  /** The first TTL asked for a resource in this request applies to its later loads too. */
  read<R extends Resource>(resource: R, ttlMs: number): Promise<CacheRead<ValueOf<R>>>;
}

export function createLoaders(cache: CacheReader): Loaders {
  // A plain map of promises, not a batching DataLoader: deduplication is all we want, and each key
  // resolves as soon as its own read does (a slow workspace never holds back the others). A warm
  // dashboard makes ~150 reads per request, so the scheduling layers a DataLoader adds per key show.
  const reads = new Map<string, Promise<CacheRead<unknown>>>();
  return {
    read<R extends Resource>(resource: R, ttlMs: number) {
      const key = resourceKey(resource);
      let pending = reads.get(key);
      if (!pending) {
        pending = cache.read(resource, { ttlMs });
        reads.set(key, pending);
        // As DataLoader did: a failed read is forgotten, so a later field of the request tries again.
        pending.catch(() => reads.delete(key));
      }
      return pending as Promise<CacheRead<ValueOf<R>>>;
    },
  };
}
