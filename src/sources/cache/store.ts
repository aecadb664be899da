/**
 * Where cache entries live: Keyv 5 over an in-process Map (default) or Redis (`@keyv/redis`).
 *
 * Each entry is two keys: a tiny meta record (`<prefix>:m:<key>`) and the value
 * (`<prefix>:d:<key>`, tagged with its version). A warm read fetches only the meta and, when its
 * version matches the decoded value kept in this process (L1), never re-parses the 1–3 MB JSON a
 * workspace's mailboxes weigh. Entries outlive their TTL (stale-if-error needs them) and expire
 * from the store after `retentionMs`.
 */
import KeyvRedis from '@keyv/redis';
import Keyv from 'keyv';
import type { SourceErrorInfo } from '../errors';
import type { Resource } from '../resources';
import { createMemoryPeek } from './memory-peek';
import type { RedisCommands } from './redis-commands';

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
   * Only the memory store answers: it reads the very Map Keyv writes into, so it is coherent with
   * every write, delete and `markStale` of any store sharing that Map. Redis always says undefined:
   * the meta GET per read is what keeps replicas consistent.
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
}

/** Wraps JSON text so the Redis serializer embeds it as is: a large value is stringified once. */
class RawJson {
  constructor(readonly json: string) {}
}

export interface StoredValue {
  version: number;
  fetchedAt: number;
  value: unknown;
}

function serialize(data: { value?: unknown; expires?: number | null }): string {
  if (data.value instanceof RawJson) return `{"value":${data.value.json},"expires":${data.expires ?? null}}`;
  return JSON.stringify(data);
}

export function createCacheStore(options: CacheStoreOptions = {}): CacheStore {
  const { redisUrl = null, prefix = 'bison-gateway:cache', retentionMs = 70 * 60_000, sharedMap } = options;
  const adapter = redisUrl ? new KeyvRedis(redisUrl, { throwOnConnectError: true, throwOnErrors: true }) : null;
  const map = sharedMap ?? new Map<string, unknown>();
  const keyv = adapter
    ? new Keyv({ store: adapter, useKeyPrefix: false, namespace: undefined, serialize, deserialize: JSON.parse, throwOnErrors: true })
    // In memory the Map holds decoded objects: no serialization at all.
    : new Keyv({ store: map, useKeyPrefix: false, namespace: undefined, serialize: undefined, deserialize: undefined });
  keyv.on('error', () => {}); // failures surface as rejected calls (throwOnErrors); the event would be unhandled
  const metaKey = (key: string) => `${prefix}:m:${key}`;
  const dataKey = (key: string) => `${prefix}:d:${key}`;

  // L1: decoded values by key, only needed when the store serializes (Redis).
  const decoded = new Map<string, StoredValue>();
  const loading = new Map<string, Promise<StoredValue | undefined>>();

  async function loadValue(key: string, version: number): Promise<StoredValue | undefined> {
    const l1 = decoded.get(key);
    if (l1 && l1.version === version) return l1;
    const id = `${key}#${version}`;
    let pending = loading.get(id);
    if (!pending) {
      // Concurrent warm reads right after a new version share one GET + parse.
      pending = (keyv.get(dataKey(key)) as Promise<StoredValue | undefined>).then((v) => {
        if (v && adapter) decoded.set(key, v);
        return v;
      }).finally(() => loading.delete(id));
      loading.set(id, pending);
    }
    return pending;
  }

  const peekMemory = adapter ? null : createMemoryPeek(map, metaKey, dataKey);

  return {
    kind: adapter ? 'redis' : 'memory',
    prefix,
    async getMeta(key) {
      return (await keyv.get(metaKey(key))) as StoredMeta | undefined;
    },
    async get<T>(key: string) {
      const meta = (await keyv.get(metaKey(key))) as StoredMeta | undefined;
      if (!meta) return undefined;
      if (meta.version === 0) return { meta, value: null };
      const stored = await loadValue(key, meta.version);
      if (!stored) return { meta: { ...meta, fetchedAt: null }, value: null };
      // Another replica may have written a newer value between our two GETs: keep the pair consistent.
      const pairMeta = stored.version === meta.version ? meta : { ...meta, version: stored.version, fetchedAt: stored.fetchedAt };
      return { meta: pairMeta, value: stored.value as T };
    },
    peek<T>(key: string): StoredEntry<T> | undefined {
      return peekMemory?.(key) as StoredEntry<T> | undefined;
    },
    async putValue(key, resource, value, at) {
      const previous = (await keyv.get(metaKey(key))) as StoredMeta | undefined;
      const version = (previous?.version ?? 0) + 1;
      const valueJson = JSON.stringify(value);
      const stored: StoredValue = { version, fetchedAt: at, value };
      const meta: StoredMeta = {
        resource,
        fetchedAt: at,
        version,
        recordCount: Array.isArray(value) ? value.length : 1,
        sizeBytes: Buffer.byteLength(valueJson),
        lastError: null,
        lastErrorAt: null,
        failingSince: null,
        invalidatedAt: null,
        clearedAt: null,
      };
      const payload = adapter ? new RawJson(`{"version":${version},"fetchedAt":${at},"value":${valueJson}}`) : stored;
      // Value first, meta second: a reader that sees the new meta finds the value it names.
      await keyv.set(dataKey(key), payload, retentionMs);
      await keyv.set(metaKey(key), meta, retentionMs);
      if (adapter) decoded.set(key, stored);
      return meta;
    },
    async putMeta(key, meta) {
      await keyv.set(metaKey(key), meta, retentionMs);
    },
    async delete(key) {
      decoded.delete(key);
      const removed = await keyv.delete(metaKey(key));
      await keyv.delete(dataKey(key));
      return removed;
    },
    async keys() {
      const start = `${prefix}:m:`;
      if (!adapter) return [...map.keys()].filter((k) => k.startsWith(start)).map((k) => k.slice(start.length));
      const client = (await adapter.getClient()) as unknown as RedisCommands;
      const found: string[] = [];
      for await (const batch of client.scanIterator({ MATCH: `${escapeGlob(start)}*`, COUNT: 500 })) {
        for (const k of batch) found.push(k.slice(start.length));
      }
      return found;
    },
    async redis() {
      return adapter ? ((await adapter.getClient()) as unknown as RedisCommands) : null;
    },
    async close() {
      decoded.clear();
      if (adapter) await keyv.disconnect();
    },
  };
}

function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, '\\$&');
}
