/**
 * The Redis store (`@keyv/redis`): entries shared by every replica, with this process's local copy
 * (./local-copy.ts) of what it read and wrote.
 *
 * Redis failing never fails a read this process can answer: every Redis call is short and refused
 * at once while the connection is down (./redis-connection.ts); reads then answer from the local
 * copy, flagged `localCopy`, and writes land in the local copy only. When Redis comes back without
 * an entry that it had before and this process still holds (a restart lost it), the entry is
 * written back, so replicas share it again instead of each refetching it upstream. An entry
 * deleted while this replica was cut off from a Redis others could reach may come back that way.
 *
 * A warm read costs no Redis command: the meta records this process read are vouched for by Redis
 * client tracking until someone changes them (./tracking.ts), so `peek` answers them from memory,
 * with the decoded value of that version. Only a changed entry, a new link, or a connection silent
 * for longer than `trustMs` sends a command again (a GET, or one PING shared by all readers).
 */
import Keyv from 'keyv';
import { createLocalCopy } from './local-copy';
import { createRedisConnection } from './redis-connection';
import type { CacheStore, StoredEntry, StoredMeta, StoredValue } from './store';
import { createTracking } from './tracking';
import { newVersion, pairOf } from './versions';

/** Wraps JSON text so the Redis serializer embeds it as is: a large value is stringified once. */
class RawJson {
  constructor(readonly json: string) {}
}

function serialize(data: { value?: unknown; expires?: number | null }): string {
  if (data.value instanceof RawJson) return `{"value":${data.value.json},"expires":${data.expires ?? null}}`;
  return JSON.stringify(data);
}

const withoutFlag = ({ localCopy: _flag, ...meta }: StoredMeta): StoredMeta => meta;

export interface RedisStoreOptions {
  timeoutMs?: number;
  /** How long after the connection's last reply a vouched-for meta is served without a PING. @default 1000 */
  trustMs?: number;
}

export function createRedisStore(redisUrl: string, prefix: string, retentionMs: number, options: RedisStoreOptions = {}): CacheStore {
  const connection = createRedisConnection({ url: redisUrl, timeoutMs: options.timeoutMs });
  const keyv = new Keyv({ store: connection.adapter, useKeyPrefix: false, namespace: undefined, serialize, deserialize: JSON.parse, throwOnErrors: true });
  keyv.on('error', () => {}); // failures surface as rejected calls (throwOnErrors); the event would be unhandled
  const metaKey = (key: string) => `${prefix}:m:${key}`;
  const dataKey = (key: string) => `${prefix}:d:${key}`;
  const copy = createLocalCopy();
  const tracking = createTracking(connection, `${prefix}:m:`, options.trustMs ?? 1_000);
  /** One entry per vouched meta record, so a warm read allocates nothing while it is unchanged. */
  const pairs = new WeakMap<StoredMeta, StoredEntry>();
  const loading = new Map<string, Promise<StoredValue | undefined>>();
  const redisGet = <T>(key: string) => connection.call(() => keyv.get(key) as Promise<T | undefined>);

  /** Redis's meta for a key, restoring what a Redis restart lost; throws when Redis does not answer. */
  async function readMeta(key: string): Promise<StoredMeta | undefined> {
    let known = tracking.lookup(key);
    if (known && !known.recent) {
      await tracking.confirm();
      known = tracking.lookup(key);
    }
    if (known?.recent) return known.meta;
    if (connection.epoch() === 0) await connection.client(); // a ticket taken before the first connect would be void
    const epoch = connection.epoch();
    const ticket = tracking.ticket();
    const meta = await redisGet<StoredMeta>(metaKey(key));
    if (meta) {
      copy.keep(key, epoch, meta);
      tracking.vouch(key, ticket, meta);
      return meta;
    }
    const held = copy.held(key);
    // Confirmed on this connection and gone now: deleted (or expired). Else Redis lost it.
    if (!held || held.confirmedIn === epoch || !held.value) {
      copy.forget(key);
      return undefined;
    }
    return restore(key, held.meta, held.value);
  }

  /** Writes a held entry back (only where Redis has none: another replica may have been first). */
  async function restore(key: string, meta: StoredMeta, stored: StoredValue): Promise<StoredMeta | undefined> {
    const client = await connection.client();
    tracking.changing(key);
    const expires = Date.now() + retentionMs;
    const restoredMeta = { ...meta, version: stored.version, fetchedAt: stored.fetchedAt };
    const data = serialize({ value: new RawJson(`{"version":${stored.version},"fetchedAt":${stored.fetchedAt},"value":${JSON.stringify(stored.value)}}`), expires });
    await client.set(dataKey(key), data, { NX: true, PX: retentionMs });
    const wrote = await client.set(metaKey(key), serialize({ value: restoredMeta, expires }), { NX: true, PX: retentionMs });
    if (wrote !== 'OK') return redisGet<StoredMeta>(metaKey(key));
    copy.keep(key, connection.epoch(), restoredMeta, stored);
    return restoredMeta;
  }

  async function loadValue(key: string, version: number): Promise<StoredValue | undefined> {
    const held = copy.value(key, version);
    if (held) return held;
    const id = `${key}#${version}`;
    let pending = loading.get(id);
    if (!pending) {
      // Concurrent warm reads right after a new version share one GET + parse.
      pending = redisGet<StoredValue>(dataKey(key)).finally(() => loading.delete(id));
      loading.set(id, pending);
    }
    return pending;
  }

  /** A vouched meta with the decoded value of its version, or undefined when that value is not held. */
  function entryOf(key: string, meta: StoredMeta): StoredEntry | undefined {
    const known = pairs.get(meta);
    if (meta.version === 0) return known ?? remember(meta, { meta, value: null });
    const held = copy.value(key, meta.version);
    if (!held) return undefined;
    if (known && known.value === held.value) return known;
    return remember(meta, { meta, value: held.value });
  }
  const remember = (meta: StoredMeta, entry: StoredEntry) => (pairs.set(meta, entry), entry);

  return {
    kind: 'redis',
    prefix,
    async getMeta(key) {
      try {
        return await readMeta(key);
      } catch (err) {
        const local = copy.fallback(key);
        if (local) return local.meta;
        throw err;
      }
    },
    async get<T>(key: string) {
      try {
        const meta = await readMeta(key);
        if (!meta) return undefined;
        if (meta.version === 0) return { meta, value: null };
        const stored = await loadValue(key, meta.version);
        if (stored) copy.keep(key, connection.epoch(), meta, stored);
        return pairOf<T>(meta, stored);
      } catch (err) {
        const local = copy.fallback<T>(key);
        if (local) return local;
        throw err;
      }
    },
    peek<T>(key: string) {
      const known = tracking.lookup(key);
      if (!known) return undefined;
      if (!known.recent) {
        void tracking.confirm(); // this read asks Redis (`get`); the next ones need not
        return undefined;
      }
      return entryOf(key, known.meta) as StoredEntry<T> | undefined;
    },
    async putValue(key, resource, value, at) {
      const previous = await readMeta(key).catch(() => copy.held(key)?.meta);
      const { meta, valueJson, stored } = newVersion(previous, resource, value, at);
      tracking.changing(key);
      try {
        const epoch = connection.epoch();
        // Value first, meta second: a reader that sees the new meta finds the value it names.
        await connection.call(() => keyv.set(dataKey(key), new RawJson(`{"version":${meta.version},"fetchedAt":${at},"value":${valueJson}}`), retentionMs));
        await connection.call(() => keyv.set(metaKey(key), meta, retentionMs));
        copy.keep(key, epoch, meta, stored);
        return meta;
      } catch {
        // Redis is down: this process keeps serving what it fetched; the write is not shared.
        copy.keep(key, -1, meta, stored);
        return { ...meta, localCopy: true };
      }
    },
    async putMeta(key, meta) {
      const clean = withoutFlag(meta);
      const epoch = connection.epoch();
      tracking.changing(key);
      copy.keep(key, copy.held(key)?.confirmedIn ?? -1, clean);
      await connection.call(() => keyv.set(metaKey(key), clean, retentionMs));
      copy.keep(key, epoch, clean);
    },
    async delete(key) {
      tracking.changing(key);
      copy.forget(key);
      const removed = await connection.call(() => keyv.delete(metaKey(key)));
      await connection.call(() => keyv.delete(dataKey(key)));
      return removed;
    },
    async keys() {
      const start = `${prefix}:m:`;
      try {
        const client = await connection.client();
        const found: string[] = [];
        await connection.call(async () => {
          for await (const batch of client.scanIterator({ MATCH: `${escapeGlob(start)}*`, COUNT: 500 })) {
            for (const k of batch) found.push(k.slice(start.length));
          }
        });
        return found;
      } catch {
        return copy.keys(); // Redis is down: list what this process holds
      }
    },
    redis: () => connection.client(),
    health: () => connection.health(),
    heldFetchTimes: () => copy.fetchTimes(),
    async close() {
      copy.clear();
      await connection.close();
    },
  };
}
function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, '\\$&');
}
