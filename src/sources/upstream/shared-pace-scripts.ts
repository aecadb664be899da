/**
 * The Lua scripts behind the shared pace (./shared-pace.ts). Each runs atomically in Redis on
 * Redis's own clock (TIME), so replicas whose clocks disagree still share one bucket per key.
 *
 * A key's state is one hash: `t` tokens, `at` when they were counted, `r` its rate (calls a
 * minute; below the configured one after a 429), `c` when the rate last changed, `h` the end of
 * its hold (a Retry-After). The arithmetic is ./token-bucket.ts and ./key-pace.ts, written once
 * more in Lua: the bucket's size is the configured burst at the configured rate and 1 while slowed;
 * a quiet `recoverEveryMs` brings the rate back by `recoverFactor`; a refusal halves the rate (at
 * most 90 % of one call per Retry-After) once per hold, and empties the bucket until the hold ends.
 */

/** Shared by both scripts: load, refill, recover and save one key's state. */
const STATE = `
local t0 = redis.call('TIME')
local now = tonumber(t0[1]) * 1000 + math.floor(tonumber(t0[2]) / 1000)
local R, B, E, F, ttl = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local function load(key)
  local v = redis.call('HMGET', key, 't', 'at', 'r', 'c', 'h')
  local s = { t = tonumber(v[1]), at = tonumber(v[2]), r = tonumber(v[3]) or R, c = tonumber(v[4]) or now, h = tonumber(v[5]) or 0 }
  if s.r > R then s.r = R end
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
 * KEYS: the keys' state hashes. ARGV: rate, burst, recoverEveryMs, recoverFactor, ttlMs, then the
 * tokens wanted per key. Returns per key: tokens granted, ms until the next token, the rate (a
 * string: Lua numbers come back as integers), ms the key is still held.
 */
export const TAKE_SCRIPT = `${STATE}
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
 * KEYS: the keys' state hashes. ARGV: rate, burst, recoverEveryMs, recoverFactor, ttlMs, then the
 * leased tokens given back unused per key. A token never sent may be taken again, within the
 * bucket's size; not while the key is held (the end of a hold lets one call go, not a burst).
 */
export const GIVE_BACK_SCRIPT = `${STATE}
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
 * KEYS[1]: the key's state hash. ARGV: rate, burst, recoverEveryMs, recoverFactor, ttlMs,
 * retryAfterMs, the slowest rate, the share of the Retry-After's pace to take. Returns the new
 * rate (string) and the ms the key is held.
 */
export const REFUSED_SCRIPT = `${STATE}
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

/**
 * KEYS[1]: the sorted set of live replicas (score = when each one's heartbeat expires).
 * ARGV: this replica's id, the heartbeat's time to live (ms). Returns how many replicas are live.
 */
export const HEARTBEAT_SCRIPT = `
local t0 = redis.call('TIME')
local now = tonumber(t0[1]) * 1000 + math.floor(tonumber(t0[2]) / 1000)
local ttl = tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('PEXPIRE', KEYS[1], ttl)
return redis.call('ZCARD', KEYS[1])
`;

/** KEYS[1]: the set of live replicas. ARGV[1]: this replica's id. A replica that stops says so. */
export const LEAVE_SCRIPT = `return redis.call('ZREM', KEYS[1], ARGV[1])`;
