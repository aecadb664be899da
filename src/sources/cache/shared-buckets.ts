/**
 * Token buckets kept in Redis and shared by every replica: the per-key upstream budget
 * (../upstream/shared-pace.ts) and the per-token request rate limit
 * (../../server/plugins/use-token-rate-limit.ts) are both this one bucket. Each script runs
 * atomically in Redis on Redis's own clock (TIME), so replicas whose clocks disagree still share
 * one bucket, and N replicas together get the bucket's rate, not N times it. Scripts go through
 * the cache's one Redis connection (`scriptRunner`, ./redis-commands.ts): a caller must expect a
 * rejection while Redis does not answer and fall back to a local bucket.
 *
 * A bucket's state is one hash: `t` tokens, `at` when they were counted, `r` its rate (takes a
 * minute; below the configured one after a refusal), `c` when the rate last changed, `h` the end
 * of its hold (a Retry-After). The arithmetic is ../upstream/token-bucket.ts and
 * ../upstream/key-pace.ts, written once more in Lua: the bucket's size is the configured burst at
 * the configured rate and 1 while slowed; a quiet `recoverEveryMs` brings the rate back by
 * `recoverFactor`; a refusal halves the rate (at most `hintShare` of one take per Retry-After)
 * once per hold, and empties the bucket until the hold ends. A bucket never refused (the rate
 * limit) is a plain token bucket. Idle buckets expire after `ttlMs`.
 */
import type { RunScript } from './redis-commands';

/** Shared by every script: load, refill, recover and save one bucket's state. */
const STATE = `
local t0 = redis.call('TIME')
local now = tonumber(t0[1]) * 1000 + math.floor(tonumber(t0[2]) / 1000)
local R, B, E, F, ttl = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local function load(key)
  local v = redis.call('HMGET', key, 't', 'at', 'r', 'c', 'h')
  local s = { t = tonumber(v[1]), at = tonumber(v[2]), r = tonumber(v[3]) or R, c = tonumber(v[4]) or now, h = tonumber(v[5]) or 0 }
  -- never refused (no hold on record): the configured rate, even one raised since the bucket was made
  if s.r > R or s.h == 0 then s.r = R end
  s.size = (s.r >= R) and B or 1
  if s.t == nil then s.t = s.size; s.at = now end
  return s
end
local function refill(s)
  if now > s.at then
    s.t = math.min(s.size, s.t + (now - s.at) * s.r / 60000)
    s.at = now
  end
end
local function setRate(s, rate)
  refill(s)
  s.r = rate
  s.c = now
  s.size = (s.r >= R) and B or 1
  s.t = math.min(s.t, s.size)
end
local function recover(s)
  if s.r < R and now >= s.h and now - s.c >= E then setRate(s, math.min(R, s.r * F)) end
end
local function save(key, s)
  redis.call('HSET', key, 't', tostring(s.t), 'at', tostring(s.at), 'r', tostring(s.r), 'c', tostring(s.c), 'h', tostring(s.h))
  redis.call('PEXPIRE', key, ttl)
end
`;

/**
 * KEYS: the buckets' hashes. ARGV: rate, burst, recoverEveryMs, recoverFactor, ttlMs, then the
 * tokens wanted per bucket. Returns per bucket: tokens granted, ms until the next token, the rate
 * (a string: Lua numbers come back as integers), ms the bucket is still held.
 */
const TAKE_SCRIPT = `${STATE}
local out = {}
for i, key in ipairs(KEYS) do
  local want = tonumber(ARGV[5 + i])
  local s = load(key)
  recover(s)
  local granted, wait = 0, 0
  if now < s.h then
    wait = s.h - now
  else
    refill(s)
    granted = math.min(want, math.floor(s.t))
    if granted < 0 then granted = 0 end
    s.t = s.t - granted
    if s.t < 1 then wait = math.ceil((1 - s.t) * 60000 / s.r) end
  end
  save(key, s)
  table.insert(out, granted)
  table.insert(out, wait)
  table.insert(out, tostring(s.r))
  table.insert(out, math.max(0, s.h - now))
end
return out
`;

/**
 * KEYS: the buckets' hashes. ARGV: rate, burst, recoverEveryMs, recoverFactor, ttlMs, then the
 * tokens given back unused per bucket. A token never spent may be taken again, within the
 * bucket's size; not while the bucket is held (the end of a hold lets one take go, not a burst).
 */
const GIVE_BACK_SCRIPT = `${STATE}
for i, key in ipairs(KEYS) do
  local s = load(key)
  if now >= s.h then
    refill(s)
    s.t = math.min(s.size, s.t + tonumber(ARGV[5 + i]))
    save(key, s)
  end
end
return 0
`;

/**
 * KEYS[1]: the bucket's hash. ARGV: rate, burst, recoverEveryMs, recoverFactor, ttlMs,
 * retryAfterMs, the slowest rate, the share of the Retry-After's pace to take. Returns the new
 * rate (string) and the ms the bucket is held.
 */
const REFUSED_SCRIPT = `${STATE}
local retryAfter, floor, share = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
local s = load(KEYS[1])
if now >= s.h then
  local hinted = (retryAfter > 0) and (share * 60000 / retryAfter) or math.huge
  setRate(s, math.max(floor, math.min(s.r / 2, hinted)))
end
s.h = math.max(s.h, now + retryAfter)
s.t = 1
s.at = math.max(s.at, s.h)
save(KEYS[1], s)
return { tostring(s.r), math.max(0, s.h - now) }
`;

/** What a family of buckets is: the same for every bucket of one caller. */
export interface BucketShape {
  /** Takes a minute. */
  ratePerMinute: number;
  /** Takes that may go at once. */
  burst: number;
  /** After a refusal: how often a quiet bucket speeds up, and by how much. @default 60 s, 1.25 */
  recoverEveryMs?: number;
  recoverFactor?: number;
  /** An idle bucket is forgotten after this (it would be full again by then). */
  ttlMs: number;
}

export interface BucketTake {
  /** Tokens taken (at most the ones wanted). */
  granted: number;
  /** Ms until the next token (or the end of the hold). */
  waitMs: number;
  /** The bucket's rate now (below the shape's after a refusal). */
  ratePerMinute: number;
  /** Ms the bucket is still held after a refusal. */
  heldMs: number;
}

export interface SharedBuckets {
  /** Takes up to `wants.get(id)` tokens from each bucket `id` (no secret: an id or a hash), in one script call. */
  take(shape: BucketShape, wants: Map<string, number>): Promise<Map<string, BucketTake>>;
  /** Puts tokens taken but never spent back (not while a bucket is held). */
  giveBack(shape: BucketShape, unused: Map<string, number>): Promise<void>;
  /** The bucket's owner was refused (a 429): hold it `retryAfterMs`, and slow it down to no less than `floor`. */
  refused(shape: BucketShape, id: string, refusal: { retryAfterMs: number; floor: number; hintShare: number }): Promise<{ ratePerMinute: number; heldMs: number }>;
}

/** Buckets named `${prefix}:${id}` (the cache's prefix: isolated deployments on one Redis never share one). */
export function createSharedBuckets(run: RunScript, prefix: string): SharedBuckets {
  const keyOf = (id: string) => `${prefix}:${id}`;
  const common = (s: BucketShape) => [s.ratePerMinute, s.burst, s.recoverEveryMs ?? 60_000, s.recoverFactor ?? 1.25, Math.ceil(s.ttlMs)].map(String);
  return {
    async take(shape, wants) {
      const ids = [...wants.keys()];
      const reply = (await run(TAKE_SCRIPT, ids.map(keyOf), [...common(shape), ...ids.map((id) => String(wants.get(id)))])) as unknown[];
      const out = new Map<string, BucketTake>();
      ids.forEach((id, i) => {
        const [granted, waitMs, ratePerMinute, heldMs] = reply.slice(i * 4, i * 4 + 4).map(Number);
        out.set(id, { granted, waitMs, ratePerMinute, heldMs });
      });
      return out;
    },
    async giveBack(shape, unused) {
      const ids = [...unused.keys()];
      if (ids.length) await run(GIVE_BACK_SCRIPT, ids.map(keyOf), [...common(shape), ...ids.map((id) => String(unused.get(id)))]);
    },
    async refused(shape, id, { retryAfterMs, floor, hintShare }) {
      const args = [...common(shape), String(retryAfterMs), String(floor), String(hintShare)];
      const [ratePerMinute, heldMs] = ((await run(REFUSED_SCRIPT, [keyOf(id)], args)) as unknown[]).map(Number);
      return { ratePerMinute, heldMs };
    },
  };
}
