/**
 * A short per-key lease so that, of several replicas sharing one Redis, only one refreshes a key.
 * The lease expires by itself (a crashed holder cannot wedge a key); its holder renews it while it
 * works (a token compare-and-extend, so a long fetch keeps it) and releases it when done (a token
 * compare-and-delete), so a slow holder never extends or frees someone else's lease.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock';
import type { RedisCommands } from './redis-commands';

export interface RefreshLock {
  /** A token when the lease was taken, null when someone else holds it. */
  acquire(key: string, ttlMs: number): Promise<string | null>;
  /** Extends the lease to `ttlMs` from now if `token` still holds it; false when it does not (it expired, someone else took it). */
  extend(key: string, token: string, ttlMs: number): Promise<boolean>;
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
    async extend(key, token, ttlMs) {
      const held = leases.get(key);
      if (!held || held.token !== token || held.until <= clock.now()) return false;
      held.until = clock.now() + ttlMs;
      return true;
    },
    async release(key, token) {
      if (leases.get(key)?.token === token) leases.delete(key);
    },
  };
}

const RELEASE_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const EXTEND_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

/** Redis leases: SET NX PX, extended by a compare-and-pexpire script, released by a compare-and-delete one. */
export function createRedisLock(redis: RedisCommands, prefix = 'bison-gateway:lock'): RefreshLock {
  const lockKey = (key: string) => `${prefix}:${key}`;
  return {
    async acquire(key, ttlMs) {
      const token = randomUUID();
      const ok = await redis.set(lockKey(key), token, { NX: true, PX: Math.max(1, Math.round(ttlMs)) });
      return ok === 'OK' ? token : null;
    },
    async extend(key, token, ttlMs) {
      return Number(await redis.eval(EXTEND_SCRIPT, { keys: [lockKey(key)], arguments: [token, String(Math.max(1, Math.round(ttlMs)))] })) === 1;
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
    extend: async (key, token, ttlMs) => (await get()).extend(key, token, ttlMs),
    release: async (key, token) => (await get()).release(key, token),
  };
}
