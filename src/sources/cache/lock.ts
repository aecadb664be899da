/**
 * A short per-key lease so that, of several replicas sharing one Redis, only one refreshes a key.
 * The lease expires by itself (a crashed holder cannot wedge a key) and is released only by its
 * holder (a token compare-and-delete), so a slow holder never frees someone else's lease.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock';
import type { RedisCommands } from './redis-commands';

export interface RefreshLock {
  /** A token when the lease was taken, null when someone else holds it. */
  acquire(key: string, ttlMs: number): Promise<string | null>;
  release(key: string, token: string): Promise<void>;
}

/** In-process leases: for tests, and for several caches sharing one memory store. */
export function createMemoryLock(clock: Clock): RefreshLock {
  const leases = new Map<string, { token: string; until: number }>();
  return {
    async acquire(key, ttlMs) {
      const held = leases.get(key);
      if (held && held.until > clock.now()) return null;
      const token = randomUUID();
      leases.set(key, { token, until: clock.now() + ttlMs });
      return token;
    },
    async release(key, token) {
      if (leases.get(key)?.token === token) leases.delete(key);
    },
  };
}

const RELEASE_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** Redis leases: SET NX PX, released by a compare-and-delete script. */
export function createRedisLock(redis: RedisCommands, prefix = 'bison-gateway:lock'): RefreshLock {
  const lockKey = (key: string) => `${prefix}:${key}`;
  return {
    async acquire(key, ttlMs) {
      const token = randomUUID();
      const ok = await redis.set(lockKey(key), token, { NX: true, PX: Math.max(1, Math.round(ttlMs)) });
      return ok === 'OK' ? token : null;
    },
    async release(key, token) {
      await redis.eval(RELEASE_SCRIPT, { keys: [lockKey(key)], arguments: [token] });
    },
  };
}

/** A Redis lease over a connection made on first use; a failed connect is retried on the next call. */
export function lazyRedisLock(connect: () => Promise<RedisCommands | null>, prefix: string): RefreshLock {
  let lock: Promise<RefreshLock> | null = null;
  const get = () =>
    (lock ??= connect().then(
      (redis) => {
        if (!redis) throw new Error('lazyRedisLock: the store has no Redis connection to lock with');
        return createRedisLock(redis, prefix);
      },
      (err) => {
        lock = null;
        throw err;
      },
    ));
  return {
    acquire: async (key, ttlMs) => (await get()).acquire(key, ttlMs),
    release: async (key, token) => (await get()).release(key, token),
  };
}
