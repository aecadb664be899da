export { createCacheStore, type CacheStore, type CacheStoreOptions, type StoredMeta } from './store';
export { createMemoryLock, createRedisLock, type RefreshLock } from './lock';
export { createSourceCache, type SourceCache, type SourceCacheOptions, type ReadOptions } from './source-cache';
export type * from './types';
