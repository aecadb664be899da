/**
 * A token bucket kept in Redis, shared by every replica: `capacity` takes may go at once, then one
 * every `msPerToken`. One Lua script reads, refills, takes and writes atomically, so N replicas
 * together get the bucket's rate, not N times it. Time is the caller's (its injected clock); a
 * moment earlier than the bucket's last refill (a replica's clock slightly behind) refills nothing.
 * Idle buckets expire once they would be full again.
 *
 * Calls go through the cache's one Redis connection (redis-connection.ts: bounded by
 * REDIS_TIMEOUT_MS, refused at once while Redis is down), so a caller must expect a rejection and
 * fall back to a local bucket.
 */
import type { RedisCommands } from './redis-commands';

const TAKE = `
local capacity = tonumber(ARGV[1])
local msPer = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 't', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then tokens = capacity; at = now end
if now > at then
  tokens = math.min(capacity, tokens + (now - at) / msPer)
  at = now
end
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) * msPer) end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'at', tostring(at))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity * msPer) + 60000)
return wait`;

export interface SharedBucketTake {
  /** Bucket size (takes that may go at once). */
  capacity: number;
  /** Refill: one take every this many ms. */
  msPerToken: number;
  /** The caller's clock, ms since the epoch. */
  now: number;
}

export interface SharedBuckets {
  /** Takes one from the bucket `id` (no secret: an id or a hash); returns ms until one is available, 0 when taken. Rejects when Redis does not answer. */
  take(id: string, options: SharedBucketTake): Promise<number>;
}

export function createSharedBuckets(redis: () => Promise<RedisCommands | null>, prefix: string): SharedBuckets {
  return {
    async take(id, { capacity, msPerToken, now }) {
      const client = await redis();
      if (!client) throw new Error('shared buckets need Redis');
      const wait = await client.eval(TAKE, { keys: [`${prefix}:${id}`], arguments: [String(capacity), String(msPerToken), String(Math.round(now))] });
      return Number(wait);
    },
  };
}
