/**
 * One budget per upstream key for every replica on one Redis: N replicas together stay under the
 * key's rate and burst, a Retry-After seen by one holds the key on all of them, and the slow-down
 * after a 429 is the key's, not a replica's.
 *
 * - Tokens are taken from a token bucket per key kept in Redis by a Lua script
 *   (./shared-pace-scripts.ts), in small leases: as many as the key has calls queued here (at
 *   most the burst), so a cold load costs one round trip per key and per refill, not per call, and
 *   the asks of every key waiting at the same moment go in one script call. A leased token not
 *   used within `leaseMs` (the pool was full) is given back: held longer, it could be spent in a
 *   burst the upstream's bucket would refuse; dropped, it would cost the other replicas.
 * - Replicas announce themselves: a heartbeat every `heartbeatMs` in a sorted set (each member
 *   expires 3 heartbeats after its last), which also counts the live replicas.
 * - When Redis does not answer (bounded by the connection's timeout and quiet period, never a
 *   hang: ../cache/redis-connection.ts), this replica paces itself at its share of the budget,
 *   rate ÷ live replicas (the last count it saw) and burst ÷ live replicas, never the full rate,
 *   keeping any hold it knew of; the next heartbeat that Redis answers brings it back.
 */
import type { Clock } from '../../clock';
import type { RedisCommands } from '../cache/redis-commands';
import { createLocalPace, type LocalPaceOptions, type PaceSource } from './pace-source';
import { GIVE_BACK_SCRIPT, HEARTBEAT_SCRIPT, LEAVE_SCRIPT, REFUSED_SCRIPT, TAKE_SCRIPT } from './shared-pace-scripts';

/** Of the pace a Retry-After suggests, the share a slowed key takes (as ./key-pace.ts). */
const HINT_SHARE = 0.9;

export interface SharedPaceOptions extends LocalPaceOptions {
  /** The Redis connection (the cache's: same timeouts, same quiet period after a failure). */
  redis: () => Promise<RedisCommands | null>;
  /** Key prefix (the cache's, so isolated deployments on one Redis never share a budget). */
  prefix: string;
  /** Names this replica in the heartbeat set. */
  instanceId: string;
  /** @default 5000 */
  heartbeatMs?: number;
  /** A leased token not used within this is dropped. @default 1000 */
  leaseMs?: number;
  /** Redis stopped or started answering (for a log line). */
  onModeChange?: (mode: 'shared' | 'fallback', replicas: number, err?: unknown) => void;
}

export interface SharedPace extends PaceSource {
  /** Sends a heartbeat now (tests; the timer does it every `heartbeatMs`). */
  heartbeat(): Promise<void>;
}

interface KeyState {
  /** Expiry times of the leased tokens, oldest first. */
  leased: number[];
  /** Do not ask Redis before this (local clock): it said when the next token comes. */
  askAt: number;
  /** Held until (local clock), after a 429 seen here or by another replica. */
  heldUntil: number;
  rate: number;
  asking: boolean;
}

export function createSharedPace(options: SharedPaceOptions): SharedPace {
  const { redis, prefix, instanceId, clock, ratePerMinute, burst, heartbeatMs = 5_000, leaseMs = 1_000 } = options;
  const recoverEveryMs = options.recoverEveryMs ?? 60_000;
  const recoverFactor = options.recoverFactor ?? 1.25;
  const floor = Math.min(ratePerMinute, options.minRatePerMinute ?? 1);
  const common = [ratePerMinute, burst, recoverEveryMs, recoverFactor, Math.max(10 * 60_000, 3 * recoverEveryMs)].map(String);
  const replicasKey = `${prefix}:pace:replicas`;
  const stateKey = (keyId: string) => `${prefix}:pace:key:${keyId}`;

  const keys = new Map<string, KeyState>();
  const stateOf = (keyId: string) => {
    let s = keys.get(keyId);
    if (!s) keys.set(keyId, (s = { leased: [], askAt: 0, heldUntil: 0, rate: ratePerMinute, asking: false }));
    return s;
  };
  let mode: 'shared' | 'fallback' = 'shared';
  let replicas = 1;
  let fallback: PaceSource | null = null;
  let wake: () => void = () => {};
  let closed = false;

  function toFallback(err: unknown): void {
    if (mode === 'fallback') return;
    mode = 'fallback';
    const n = Math.max(1, replicas);
    fallback = createLocalPace({ ...options, ratePerMinute: ratePerMinute / n, burst: Math.max(1, Math.floor(burst / n)) });
    for (const s of keys.values()) {
      s.leased = [];
      s.asking = false;
    }
    options.onModeChange?.('fallback', n, err);
    wake();
  }

  function toShared(): void {
    if (mode === 'shared') return;
    mode = 'shared';
    fallback = null;
    for (const s of keys.values()) s.askAt = 0;
    options.onModeChange?.('shared', replicas);
    wake();
  }

  // The asks of one turn of the event loop go to Redis in one script call.
  let asks = new Map<string, number>();
  let flushing = false;
  function ask(keyId: string, want: number): void {
    stateOf(keyId).asking = true;
    asks.set(keyId, want);
    if (flushing) return;
    flushing = true;
    setImmediate(function leaseTokens() {
      flushing = false;
      const batch = asks;
      asks = new Map();
      void take(batch);
    });
  }

  async function take(batch: Map<string, number>): Promise<void> {
    const ids = [...batch.keys()];
    try {
      const client = await redis();
      if (!client) throw new Error('no Redis connection');
      const sentAt = clock.now();
      const reply = (await client.eval(TAKE_SCRIPT, { keys: ids.map(stateKey), arguments: [...common, ...ids.map((id) => String(batch.get(id)))] })) as unknown[];
      if (mode !== 'shared') return;
      const now = clock.now();
      ids.forEach((id, i) => {
        const [granted, wait, rate, held] = reply.slice(i * 4, i * 4 + 4).map(Number);
        const s = stateOf(id);
        s.asking = false;
        // A lease counts from when it was asked for: the reply may have been slow.
        for (let n = 0; n < granted; n++) s.leased.push(sentAt + leaseMs);
        if (granted > 0) sweepSoon();
        s.rate = rate;
        s.heldUntil = Math.max(s.heldUntil, now + held);
        s.askAt = granted < batch.get(id)! ? now + wait : now;
      });
    } catch (err) {
      for (const id of ids) stateOf(id).asking = false;
      toFallback(err);
    }
    wake();
  }

  // Leases not used in time go back to Redis, in one script call per sweep.
  let giveBack = new Map<string, number>();
  let sweepTimer: ReturnType<typeof setTimeout> | null = null;
  function freshLeases(keyId: string, s: KeyState, now: number): number {
    let expired = 0;
    while (s.leased.length && s.leased[0] <= now) {
      s.leased.shift();
      expired++;
    }
    if (expired > 0 && mode === 'shared') giveBack.set(keyId, (giveBack.get(keyId) ?? 0) + expired);
    return s.leased.length;
  }
  function sweepSoon(): void {
    if (sweepTimer || closed) return;
    sweepTimer = setTimeout(function giveBackUnused() {
      sweepTimer = null;
      const now = clock.now();
      let pending = false;
      for (const [id, s] of keys) pending = freshLeases(id, s, now) > 0 || pending;
      if (pending) sweepSoon();
      if (giveBack.size === 0) return;
      const batch = giveBack;
      giveBack = new Map();
      const ids = [...batch.keys()];
      void redis()
        .then((client) => client?.eval(GIVE_BACK_SCRIPT, { keys: ids.map(stateKey), arguments: [...common, ...ids.map((id) => String(batch.get(id)))] }))
        .catch(() => {}); // unreachable: they are lost, which only ever errs on the safe side
    }, leaseMs + 10);
    sweepTimer.unref?.();
  }

  async function heartbeat(): Promise<void> {
    try {
      const client = await redis();
      if (!client) throw new Error('no Redis connection');
      replicas = Math.max(1, Number(await client.eval(HEARTBEAT_SCRIPT, { keys: [replicasKey], arguments: [instanceId, String(3 * heartbeatMs)] })));
      toShared();
    } catch (err) {
      toFallback(err);
    }
  }
  void heartbeat();
  const timer = setInterval(() => void heartbeat(), heartbeatMs);
  timer.unref?.();

  return {
    tryTake(keyId, waiting) {
      const s = stateOf(keyId);
      const now = clock.now();
      if (now < s.heldUntil) return false;
      if (mode === 'fallback') return fallback!.tryTake(keyId, waiting);
      if (freshLeases(keyId, s, now) > 0) {
        s.leased.shift();
        return true;
      }
      const want = Math.max(1, Math.min(waiting, burst));
      if (!s.asking && now >= s.askAt && !closed) ask(keyId, want);
      else if (asks.has(keyId)) asks.set(keyId, Math.max(want, asks.get(keyId)!)); // more calls queued before the ask left
      return false;
    },
    msUntilToken(keyId) {
      const s = stateOf(keyId);
      const now = clock.now();
      if (now < s.heldUntil) return s.heldUntil - now;
      if (mode === 'fallback') return fallback!.msUntilToken(keyId);
      if (freshLeases(keyId, s, now) > 0) return 0;
      // While an ask is out, its answer wakes the scheduler; this is only a backstop.
      return s.asking ? leaseMs : Math.max(0, s.askAt - now);
    },
    refused(keyId, retryAfterMs) {
      const s = stateOf(keyId);
      const ms = Math.max(0, retryAfterMs);
      s.leased = [];
      s.heldUntil = Math.max(s.heldUntil, clock.now() + ms);
      if (mode === 'fallback') return fallback!.refused(keyId, ms);
      s.rate = Math.max(floor, Math.min(s.rate / 2, ms > 0 ? (HINT_SHARE * 60_000) / ms : Infinity)); // until Redis says
      void (async function shareRefusal() {
        try {
          const client = await redis();
          if (!client) throw new Error('no Redis connection');
          const args = [...common, String(ms), String(floor), String(HINT_SHARE)];
          const [rate, held] = ((await client.eval(REFUSED_SCRIPT, { keys: [stateKey(keyId)], arguments: args })) as unknown[]).map(Number);
          s.rate = rate;
          s.heldUntil = Math.max(s.heldUntil, clock.now() + held);
        } catch (err) {
          toFallback(err);
        }
      })();
    },
    ratePerMinute: (keyId) => (mode === 'fallback' ? fallback!.ratePerMinute(keyId) : stateOf(keyId).rate),
    pausedKeys() {
      const now = clock.now();
      let paused = 0;
      for (const s of keys.values()) if (s.heldUntil > now) paused++;
      return mode === 'fallback' ? Math.max(paused, fallback!.pausedKeys()) : paused;
    },
    onWake(fn) {
      wake = fn;
    },
    mode: () => mode,
    replicas: () => replicas,
    heartbeat,
    async close() {
      closed = true;
      clearInterval(timer);
      if (sweepTimer) clearTimeout(sweepTimer);
      if (mode !== 'shared') return;
      try {
        const client = await redis();
        await client?.eval(LEAVE_SCRIPT, { keys: [replicasKey], arguments: [instanceId] });
      } catch {
        // Its heartbeat expires by itself.
      }
    },
  };
}
