/**
 * Per-request loaders: within one GraphQL request, the same resource is read from the shared cache
 * once however many fields need it. Create one per request (never share across requests: the
 * shared cache is the cross-request layer, with its own freshness rules).
 */
import DataLoader from 'dataloader';
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
  // A per-request DataLoader keyed by resource (workspace, endpoint, window). `batch: false`:
  // deduplication is all we want; each key resolves as soon as its own read does, so a slow
  // workspace never holds back the others (the shared cache is the cross-request layer).
  const loader = new DataLoader<ResourceRequest, CacheRead<unknown>, string>(
    async ([request]) => [await cache.read(request.resource, { ttlMs: request.ttlMs })],
    { batch: false, cacheKeyFn: (request) => resourceKey(request.resource) },
  );
  return {
    read: <R extends Resource>(resource: R, ttlMs: number) => loader.load({ resource, ttlMs }) as Promise<CacheRead<ValueOf<R>>>,
  };
}
