/**
 * One budget per upstream key for every replica on one Redis: N replicas together stay under the
 * key's rate and burst, a Retry-After seen by one holds the key on all of them, and the slow-down
 * after a 429 is the key's, not a replica's.
 *
 * - Tokens are taken from a token bucket per key kept in Redis (../cache/shared-buckets.ts, the
 *   same bucket as the per-token rate limit's), in small leases: as many as the key has calls
 *   queued here (at most the burst), so a cold load costs one round trip per key and per refill,
 *   not per call, and the asks of every key waiting at the same moment go in one script call. A
 *   leased token not used within `leaseMs` (the pool was full) is given back: held longer, it
 *   could be spent in a burst the upstream's bucket would refuse; dropped, it would cost the
 *   other replicas.
 * - When Redis does not answer (bounded by the connection's timeout and quiet period, never a
 *   hang: ../cache/redis-connection.ts), this replica paces itself at its share of the budget,
 *   rate ÷ live replicas and burst ÷ live replicas (../replicas.ts owns that count; a larger count
 *   seen during the outage narrows the share), never the full rate, keeping any hold it knew of;
 *   the next heartbeat that Redis answers brings it back.
 */
import type { Clock } from '../../clock';
import type { BucketShape, SharedBuckets } from '../cache/shared-buckets';
import type { LiveReplicas } from '../replicas';
import { createLocalPace, type LocalPaceOptions, type PaceSource } from './pace-source';

/** Of the pace a Retry-After suggests, the share a slowed key takes (as ./key-pace.ts). */
const HINT_SHARE = 0.9;

export interface SharedPaceOptions extends LocalPaceOptions {
  /** The buckets in Redis (on the cache's connection and prefix). */
  buckets: SharedBuckets;
  /** The live replicas: their heartbeat says whether Redis answers, their count sizes the fallback. */
  replicas: LiveReplicas;
  /** A leased token not used within this is dropped. @default 1000 */
  leaseMs?: number;
  /** Redis stopped or started answering (for a log line). */
  onModeChange?: (mode: 'shared' | 'fallback', replicas: number, err?: unknown) => void;
}

export interface SharedPace extends PaceSource {
  /** Sends the replicas' heartbeat now (tests; its timer does it every REPLICA_HEARTBEAT_MS). */
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
  const { buckets, replicas: live, clock, ratePerMinute, burst, leaseMs = 1_000 } = options;
  const recoverEveryMs = options.recoverEveryMs ?? 60_000;
  const recoverFactor = options.recoverFactor ?? 1.25;
  const floor = Math.min(ratePerMinute, options.minRatePerMinute ?? 1);
  const shape: BucketShape = { ratePerMinute, burst, recoverEveryMs, recoverFactor, ttlMs: Math.max(10 * 60_000, 3 * recoverEveryMs) };
  const bucketOf = (keyId: string) => `pace:key:${keyId}`;

  const keys = new Map<string, KeyState>();
  const stateOf = (keyId: string) => {
    let s = keys.get(keyId);
    if (!s) keys.set(keyId, (s = { leased: [], askAt: 0, heldUntil: 0, rate: ratePerMinute, asking: false }));
    return s;
  };
  let mode: 'shared' | 'fallback' = 'shared';
  const replicas = () => Math.max(1, live.count() ?? 1);
  let fallback: PaceSource | null = null;
  let share = 1;
  let wake: () => void = () => {};
  let closed = false;

  function toFallback(err: unknown): void {
    const n = replicas();
    // More replicas seen during the outage (Postgres): a narrower share.
    if (mode === 'fallback' && n <= share) return;
    const first = mode === 'shared';
    mode = 'fallback';
    share = n;
    fallback = createLocalPace({ ...options, ratePerMinute: ratePerMinute / n, burst: Math.max(1, Math.floor(burst / n)) });
    if (!first) return;
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
    options.onModeChange?.('shared', replicas());
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
      const sentAt = clock.now();
      const reply = await buckets.take(shape, new Map(ids.map((id) => [bucketOf(id), batch.get(id)!])));
      if (mode !== 'shared') return;
      const now = clock.now();
      ids.forEach((id) => {
        const { granted, waitMs: wait, ratePerMinute: rate, heldMs: held } = reply.get(bucketOf(id))!;
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
      void buckets
        .giveBack(shape, new Map([...batch].map(([id, n]) => [bucketOf(id), n])))
        .catch(() => {}); // unreachable: they are lost, which only ever errs on the safe side
    }, leaseMs + 10);
    sweepTimer.unref?.();
  }

  // Redis answering the replicas' heartbeat is what brings the shared budget back.
  const unsubscribe = live.onHeartbeat((answered, err) => (answered ? toShared() : toFallback(err)));

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
          const { ratePerMinute: rate, heldMs: held } = await buckets.refused(shape, bucketOf(keyId), { retryAfterMs: ms, floor, hintShare: HINT_SHARE });
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
    replicas,
    async heartbeat() {
      await live.heartbeat();
    },
    async close() {
      closed = true;
      unsubscribe();
      if (sweepTimer) clearTimeout(sweepTimer);
    },
  };
}
