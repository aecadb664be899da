/**
 * Where cache entries live: Keyv 5 over an in-process Map (default) or Redis (`@keyv/redis`).
 *
 * Each entry is two keys: a tiny meta record (`<prefix>:m:<key>`) and the value
 * (`<prefix>:d:<key>`, tagged with its version). A warm read fetches only the meta and, when its
 * version matches the decoded value kept in this process (./local-copy.ts), never re-parses the
 * 1–3 MB JSON a workspace's mailboxes weigh. Entries outlive their TTL (stale-if-error needs them)
 * and expire from the store after `retentionMs`. Redis being down, slow or restarted never fails
 * a read this process can answer (./redis-store.ts).
 */
import Keyv from 'keyv';
import type { SourceErrorInfo } from '../errors';
import type { Resource } from '../resources';
import { createMemoryPeek } from './memory-peek';
import type { StoreHealth } from './redis-connection';
import type { RedisCommands } from './redis-commands';
import { createRedisStore } from './redis-store';
import { newVersion, pairOf } from './versions';

export type { StoreHealth } from './redis-connection';

export interface StoredMeta {
  resource: Resource;
  /** Upstream fetch time of the stored value; null when no fetch ever succeeded. */
  fetchedAt: number | null;
  /** Bumped on every value written; 0 = no value yet. */
  version: number;
  recordCount: number;
  sizeBytes: number;
  lastError: SourceErrorInfo | null;
  lastErrorAt: number | null;
  /** First failure since the last success; null while the entry is healthy. */
  failingSince: number | null;
  /** Set by `markStale` (webhooks): the value counts as expired whatever the reader's TTL. */
  invalidatedAt: number | null;
  /**
   * Set by `clearCache`: the next read waits for a fresh fetch, and the value is kept only as the
   * stale-if-error fallback should that fetch fail. Absent on entries written before it existed.
   */
  clearedAt?: number | null;
  /** Only on answers: Redis did not answer, this is what this process held. Never stored. */
  localCopy?: true;
}

export interface StoredEntry<T = unknown> {
  meta: StoredMeta;
  value: T | null;
}

export interface CacheStore {
  readonly kind: 'memory' | 'redis';
  /** Key prefix of this store (locks beside it use it too, so isolated stores never contend). */
  readonly prefix: string;
  getMeta(key: string): Promise<StoredMeta | undefined>;
  /** Meta plus the decoded value (from L1 when its version is current). */
  get<T>(key: string): Promise<StoredEntry<T> | undefined>;
  /**
   * The live entry when this process can answer without I/O, else undefined (then ask `get`).
   * The memory store reads the very Map Keyv writes into, so it is coherent with every write,
   * delete and `markStale` of any store sharing that Map. The Redis store answers the entries
   * Redis client tracking still vouches for (./tracking.ts): a change made by any replica ends
   * that before its next read here; a dropped or silent connection ends it for every entry.
   */
  peek<T>(key: string): StoredEntry<T> | undefined;
  /** Writes a new value (version + 1) and returns its meta. `at` is when the upstream answered. */
  putValue(key: string, resource: Resource, value: unknown, at: number): Promise<StoredMeta>;
  /** Replaces the meta record only (errors, invalidation). */
  putMeta(key: string, meta: StoredMeta): Promise<void>;
  delete(key: string): Promise<boolean>;
  /** Every entry key (without prefix) currently stored. */
  keys(): Promise<string[]>;
  /** The Redis connection, for cross-replica locks; null for the in-process store. */
  redis(): Promise<RedisCommands | null>;
  /** Whether the shared store answers (the memory store always does). */
  health(): StoreHealth;
  /** Upstream fetch times of the values this process holds (Redis: its local copy). */
  heldFetchTimes(): number[];
  close(): Promise<void>;
}

export interface CacheStoreOptions {
  /** `redis://…` to share entries between replicas; omitted = in-process memory. */
  redisUrl?: string | null;
  /** Key prefix, so tests and deployments sharing one Redis stay apart. @default 'bison-gateway:cache' */
  prefix?: string;
  /** How long an entry is kept after its last write. @default 1 h 10 min */
  retentionMs?: number;
  /** Memory only: a Map shared by several stores, to stand in for replicas sharing one Redis. */
  sharedMap?: Map<string, unknown>;
  /** Redis: longest wait for one command (or to connect); past it the call fails over to the local copy. @default 1000 */
  redisTimeoutMs?: number;
  /** Redis: warm reads are answered from memory while the connection answered within this long (else one PING first). @default 1000 */
  redisTrustMs?: number;
}

export interface StoredValue {
  version: number;
  fetchedAt: number;
  value: unknown;
}

export function createCacheStore(options: CacheStoreOptions = {}): CacheStore {
  const { redisUrl = null, prefix = 'bison-gateway:cache', retentionMs = 70 * 60_000, sharedMap } = options;
  if (redisUrl) return createRedisStore(redisUrl, prefix, retentionMs, { timeoutMs: options.redisTimeoutMs, trustMs: options.redisTrustMs });
  const map = sharedMap ?? new Map<string, unknown>();
  // In memory the Map holds decoded objects: no serialization at all.
  const keyv = new Keyv({ store: map, useKeyPrefix: false, namespace: undefined, serialize: undefined, deserialize: undefined });
  const metaKey = (key: string) => `${prefix}:m:${key}`;
  const dataKey = (key: string) => `${prefix}:d:${key}`;
  const peek = createMemoryPeek(map, metaKey, dataKey);
  const getMeta = async (key: string) => (await keyv.get(metaKey(key))) as StoredMeta | undefined;
  const start = `${prefix}:m:`;

  return {
    kind: 'memory',
    prefix,
    getMeta,
    async get<T>(key: string) {
      const meta = await getMeta(key);
      if (!meta) return undefined;
      if (meta.version === 0) return { meta, value: null };
      const stored = (await keyv.get(dataKey(key))) as StoredValue | undefined;
      return pairOf<T>(meta, stored);
    },
    peek: <T>(key: string) => peek(key) as StoredEntry<T> | undefined,
    async putValue(key, resource, value, at) {
      const { meta, stored } = newVersion(await getMeta(key), resource, value, at);
      // Value first, meta second: a reader that sees the new meta finds the value it names.
      await keyv.set(dataKey(key), stored, retentionMs);
      await keyv.set(metaKey(key), meta, retentionMs);
      return meta;
    },
    async putMeta(key, meta) {
      await keyv.set(metaKey(key), meta, retentionMs);
    },
    async delete(key) {
      const removed = await keyv.delete(metaKey(key));
      await keyv.delete(dataKey(key));
      return removed;
    },
    keys: async () => [...map.keys()].filter((k) => k.startsWith(start)).map((k) => k.slice(start.length)),
    redis: async () => null,
    health: () => ({ kind: 'memory', reachable: true, downSince: null }),
    heldFetchTimes: () =>
      [...map.keys()].filter((k) => k.startsWith(start)).flatMap((k) => {
        const fetchedAt = peek(k.slice(start.length))?.meta.fetchedAt;
        return fetchedAt == null ? [] : [fetchedAt];
      }),
    async close() {},
  };
}
