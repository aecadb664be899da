/**
 * How many replicas are live: the one count behind every "my share" fallback (the per-key
 * upstream budget at rate ÷ live replicas, ./upstream/shared-pace.ts; the per-token rate limit at
 * limit ÷ live replicas, ../server/plugins/use-token-rate-limit.ts). Only a deployment on Redis
 * has shared budgets, so only it counts.
 *
 * - While Redis answers, each replica heartbeats every `heartbeatMs` into a sorted set on Redis's
 *   own clock (a member expires 3 heartbeats after its last; a replica that stops says so at
 *   once), and the set's size is the count: quick to see a replica come or go.
 * - The count matters only when Redis does not answer (that is when the shares are used). Then it
 *   is the larger of the last count Redis gave and the replicas live in Postgres (their
 *   `gateway_runtime_state` heartbeats, read by the health monitor; a cleanly stopped replica
 *   leaves at once). Postgres is independent of Redis, so it sees a replica that started during
 *   the outage (which never got a count from Redis); the last Redis count covers a deployment
 *   whose replicas do not share one Postgres (each then sees only itself there). Counting too
 *   many only makes each replica slower than its share; too few would let the replicas together
 *   go over the budget, so the larger wins.
 * - Unknown (null) until one of them has answered.
 */
import type { RunScript } from './cache/redis-commands';

/** KEYS[1]: the sorted set (score = when each member's heartbeat expires). ARGV: this replica, the heartbeat's time to live (ms). Returns the live count. */
const HEARTBEAT_SCRIPT = `
local t0 = redis.call('TIME')
local now = tonumber(t0[1]) * 1000 + math.floor(tonumber(t0[2]) / 1000)
local ttl = tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('PEXPIRE', KEYS[1], ttl)
return redis.call('ZCARD', KEYS[1])
`;

const LEAVE_SCRIPT = `return redis.call('ZREM', KEYS[1], ARGV[1])`;

export interface LiveReplicasOptions {
  /** Scripts on the cache's Redis connection (./cache/redis-commands.ts `scriptRunner`). */
  run: RunScript;
  /** The cache's key prefix: isolated deployments on one Redis count apart. */
  prefix: string;
  /** Names this replica in the set. */
  instanceId: string;
  /** REPLICA_HEARTBEAT_MS. @default 5000 */
  heartbeatMs?: number;
}

export interface LiveReplicas {
  /** Live replicas, this one included (see the module comment for which source); null while unknown. */
  count(): number | null;
  /** Heartbeats now (the timer does it every `heartbeatMs`). Resolves whether Redis answered; never rejects. */
  heartbeat(): Promise<boolean>;
  /** Told after every heartbeat whether Redis answered (the shared budgets switch to and from their fallback on it). */
  onHeartbeat(listener: (answered: boolean, err?: unknown) => void): () => void;
  /** The replicas live in Postgres (the health view's count), consulted while Redis does not answer. */
  usePostgresCount(count: () => number | null): void;
  /** Stops heartbeating and leaves the set, so the others count one fewer at once. */
  close(): Promise<void>;
}

export function createLiveReplicas(options: LiveReplicasOptions): LiveReplicas {
  const { run, instanceId, heartbeatMs = 5_000 } = options;
  const key = `${options.prefix}:replicas`;
  const listeners = new Set<(answered: boolean, err?: unknown) => void>();
  let fromRedis: number | null = null;
  let answered = false;
  let fromPostgres: () => number | null = () => null;
  let closed = false;

  /** A listener that throws is its own problem: the heartbeat (run from a timer) never rejects. */
  function tell(ok: boolean, err?: unknown): void {
    for (const listener of listeners) {
      try {
        listener(ok, err);
      } catch {
        // ignored: see above
      }
    }
  }

  async function heartbeat(): Promise<boolean> {
    if (closed) return false;
    try {
      fromRedis = Math.max(1, Number(await run(HEARTBEAT_SCRIPT, [key], [instanceId, String(3 * heartbeatMs)])));
      answered = true;
    } catch (err) {
      answered = false;
      tell(false, err);
      return false;
    }
    tell(true);
    return true;
  }
  void heartbeat();
  const timer = setInterval(() => void heartbeat(), heartbeatMs);
  timer.unref?.();

  return {
    count() {
      if (answered) return fromRedis;
      let postgres: number | null = null;
      try {
        postgres = fromPostgres();
      } catch {
        // unknown there
      }
      const n = Math.max(fromRedis ?? 0, postgres ?? 0);
      return n > 0 ? n : null;
    },
    heartbeat,
    onHeartbeat(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    usePostgresCount(count) {
      fromPostgres = count;
    },
    async close() {
      closed = true;
      clearInterval(timer);
      listeners.clear();
      if (!answered) return; // its heartbeat expires by itself
      await run(LEAVE_SCRIPT, [key], [instanceId]).catch(() => {});
    },
  };
}
