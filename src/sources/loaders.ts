/**
 * Per-request loaders: within one GraphQL request, the same resource is read from the shared cache
 * once however many fields need it. Create one per request (never share across requests: the
 * shared cache is the cross-request layer, with its own freshness rules).
 */
import DataLoader from 'dataloader';
import { resourceKey, type Resource, type ValueOf } from './resources';
import type { CacheRead } from './cache/types';
import type { SourceCache } from './cache/source-cache';

export interface Loaders {
  read<R extends Resource>(resource: R): Promise<CacheRead<ValueOf<R>>>;
}

export function createLoaders(cache: Pick<SourceCache, 'read'>): Loaders {
  // A per-request DataLoader keyed by resource (workspace, endpoint, window). `batch: false`:
  // deduplication is all we want; each key resolves as soon as its own read does, so a slow
  // workspace never holds back the others (the shared cache is the cross-request layer).
  const loader = new DataLoader<Resource, CacheRead<unknown>, string>(
    async ([resource]) => [await cache.read(resource)],
    { batch: false, cacheKeyFn: resourceKey },
  );
  return {
    read: <R extends Resource>(resource: R) => loader.load(resource) as Promise<CacheRead<ValueOf<R>>>,
  };
}
