/**
 * The upstream scheduler: every Email Bison call of the process goes through `run`.
 *
 * - A shared pool of `concurrency` slots, as a sliding window: a queued call starts as soon as
 *   any call finishes (never in batches that wait for their slowest member).
 * - Interactive calls (someone is waiting) are started before background refreshes.
 * - A burst starts in chunks of 8 calls, one turn of the event loop apart, so the first requests
 *   connect and leave while the rest of the burst is prepared.
 * - A token bucket per key paces calls below the upstream's per-key rate limit. A call whose key
 *   has no token (or is paused after a 429) waits in the queue without holding back calls of
 *   other keys: no head-of-line blocking. Calls are queued, never rejected (until `close`).
 * - A fair share: while other keys have calls waiting, one key holds at most `maxPerKey` slots,
 *   so one slow or hanging workspace cannot take the pool from the 25 others of a cold load. Alone,
 *   a key may use every free slot (work-conserving); calls over its share wait one turn of the
 *   event loop first, so the calls of other keys queued in the same burst go before them.
 * - A 429 (`pause`) empties the key's bucket until its Retry-After and slows the key down: the
 *   queued calls then leave one at a time at the slower rate instead of in the same millisecond,
 *   and the key creeps back to its configured rate while the upstream stops refusing it
 *   (./key-pace.ts).
 * - The tokens come from a `PaceSource` (./pace-source.ts): this process's buckets by default, or
 *   one budget per key shared by every replica through Redis (./shared-pace.ts). Only the token is
 *   shared; the queue, and so the order (interactive first), stays here.
 */
import { systemClock, type Clock } from '../../clock';
import type { PaceOptions } from './key-pace';
import { createLocalPace, type PaceSource } from './pace-source';

export type UpstreamPriority = 'interactive' | 'background';

export interface SchedulerLane {
  /** Identifies the upstream key without being the key: e.g. a short hash of it. */
  keyId: string;
  priority: UpstreamPriority;
  /** Aborting removes a call that is still queued (a started call is up to the task). */
  signal?: AbortSignal;
}

export interface SchedulerStats {
  inFlight: number;
  queued: number;
  queuedByPriority: Record<UpstreamPriority, number>;
  /** Keys currently paused after a 429. */
  pausedKeys: number;
}

export interface UpstreamScheduler {
  run<T>(lane: SchedulerLane, task: () => Promise<T>): Promise<T>;
  /**
   * The upstream refused this key (429) and asked to wait `ms` (Retry-After): holds every queued
   * and future call of the key until then, and slows the key down.
   */
  pause(keyId: string, ms: number): void;
  /** The key's current pace, calls a minute (its configured rate unless a 429 slowed it). */
  rateOf(keyId: string): number;
  stats(): SchedulerStats;
  /**
   * Shutdown: refuses new calls, rejects the queued ones (they never reached the upstream) and
   * resolves once the calls in flight have settled, or after `timeoutMs`.
   */
  close(timeoutMs?: number): Promise<void>;
}

/** What a call queued on a closed scheduler rejects with. */
export class SchedulerClosedError extends Error {
  constructor() {
    super('the upstream scheduler is shut down');
    this.name = 'SchedulerClosedError';
  }
}

export interface SchedulerOptions {
  /** Calls in flight at once, across all keys. */
  concurrency: number;
  /** Sustained calls per minute per key; keep it below the upstream's limit. */
  ratePerMinute: number;
  /** Calls a key may make at once before pacing starts. @default min(5, ratePerMinute) */
  burst?: number;
  /**
   * Token refills and pauses run on this clock. Pacing protects a real-time rate limit, so a
   * frozen ManualClock stops refills: after `burst` calls a key waits until the clock moves.
   * @default systemClock
   */
  clock?: Clock;
  /** Slots one key may hold while other keys have calls waiting. @default ceil(concurrency / 4) */
  maxPerKey?: number;
  /** How a 429 slows a key and how fast it recovers (./key-pace.ts). */
  pace?: Partial<Pick<PaceOptions, 'minRatePerMinute' | 'recoverEveryMs' | 'recoverFactor'>>;
  /**
   * Where tokens come from; its owner closes it. `ratePerMinute`, `burst` and `pace` then only
   * describe the default. @default this process's token buckets (createLocalPace)
   */
  paceSource?: PaceSource;
}

/** Calls a burst starts per turn of the event loop (see `taskTurn`). */
const CHUNK = 8;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

interface Queued {
  lane: SchedulerLane;
  start: () => void;
  cancel: (reason?: unknown) => void;
}

export function createUpstreamScheduler(options: SchedulerOptions): UpstreamScheduler {
  const { concurrency, ratePerMinute, clock = systemClock } = options;
  const burst = options.burst ?? Math.min(5, ratePerMinute);
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw new TypeError(`createUpstreamScheduler: concurrency must be an integer >= 1, got ${concurrency}`);
  }
  if (!(ratePerMinute > 0) || !(burst >= 1)) {
    throw new TypeError(`createUpstreamScheduler: ratePerMinute must be > 0 and burst >= 1, got ${ratePerMinute} and ${burst}`);
  }

  const queues: Record<UpstreamPriority, Queued[]> = { interactive: [], background: [] };
  const budget = options.paceSource ?? createLocalPace({ ratePerMinute, burst, clock, ...options.pace });
  const queuedByKey = new Map<string, number>();
  const countQueued = (keyId: string, delta: number) => {
    const n = (queuedByKey.get(keyId) ?? 0) + delta;
    if (n > 0) queuedByKey.set(keyId, n);
    else queuedByKey.delete(keyId);
  };
  const maxPerKey = options.maxPerKey ?? Math.max(1, Math.ceil(concurrency / 4));
  const inFlightByKey = new Map<string, number>();
  const inFlightOf = (keyId: string) => inFlightByKey.get(keyId) ?? 0;
  let inFlight = 0;
  let overShareTurn: ReturnType<typeof setImmediate> | null = null;
  let wakeTimer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;
  let settled: (() => void) | null = null;

  const msUntilReady = (keyId: string) => budget.msUntilToken(keyId);

  // A burst (a cold dashboard starts 156 calls in one tick) leaves in chunks, one turn of the event
  // loop apart: the sockets of the first chunk connect and write their requests while the next
  // chunk is prepared, instead of every request waiting until the last call of the burst is ready.
  let startedThisTurn = 0;
  let chunk: Promise<void> = Promise.resolve();
  function taskTurn(): Promise<void> {
    if (startedThisTurn === 0) {
      setImmediate(() => {
        startedThisTurn = 0;
        chunk = Promise.resolve();
      });
    } else if (startedThisTurn % CHUNK === 0) {
      chunk = chunk.then(nextTurn);
    }
    startedThisTurn++;
    return chunk;
  }

  /**
   * The first queued call whose key may go now (a token, no pause, and, when `fair`, under its
   * share of the pool); interactive before background, FIFO within.
   */
  function takeNextReady(fair: boolean): Queued | null {
    const notReady = new Set<string>();
    for (const queue of [queues.interactive, queues.background]) {
      for (let i = 0; i < queue.length; i++) {
        const { keyId } = queue[i].lane;
        if (notReady.has(keyId)) continue;
        if ((fair && inFlightOf(keyId) >= maxPerKey) || !budget.tryTake(keyId, Math.min(queuedByKey.get(keyId) ?? 1, concurrency - inFlight))) {
          notReady.add(keyId);
          continue;
        }
        countQueued(keyId, -1);
        return queue.splice(i, 1)[0];
      }
    }
    return null;
  }

  function pump(overShare = false): void {
    while (inFlight < concurrency) {
      const next = takeNextReady(true) ?? (overShare ? takeNextReady(false) : null);
      if (!next) break;
      next.start();
    }
    // Free slots and calls over their key's share: give them the slots after this turn, once the
    // other calls of the same burst had their chance to be queued.
    if (!overShare && inFlight < concurrency && queues.interactive.length + queues.background.length > 0 && !overShareTurn) {
      overShareTurn = setImmediate(() => {
        overShareTurn = null;
        pump(true);
      });
    }
    armWakeTimer();
  }

  /** When slots are free but every queued key is waiting for a token or a pause, wake up then. */
  function armWakeTimer(): void {
    if (wakeTimer) clearTimeout(wakeTimer);
    wakeTimer = null;
    if (inFlight >= concurrency) return;
    const waiting = [...queues.interactive, ...queues.background];
    if (waiting.length === 0) return;
    const keys = new Set(waiting.map((q) => q.lane.keyId));
    const wait = Math.min(...[...keys].map(msUntilReady));
    wakeTimer = setTimeout(function wakeScheduler() {
      wakeTimer = null;
      pump();
    }, Math.max(1, wait));
  }

  function run<T>(lane: SchedulerLane, task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (closed) throw new SchedulerClosedError();
      lane.signal?.throwIfAborted();
      const queue = queues[lane.priority];
      const onAbort = () => entry.cancel();
      const entry: Queued = {
        lane,
        start() {
          lane.signal?.removeEventListener('abort', onAbort);
          inFlight++;
          inFlightByKey.set(lane.keyId, inFlightOf(lane.keyId) + 1);
          taskTurn()
            .then(task)
            .then(resolve, reject)
            .finally(function releaseSlot() {
              inFlight--;
              if (inFlightOf(lane.keyId) <= 1) inFlightByKey.delete(lane.keyId);
              else inFlightByKey.set(lane.keyId, inFlightOf(lane.keyId) - 1);
              if (inFlight === 0) settled?.();
              pump();
            });
        },
        cancel(reason = lane.signal?.reason) {
          lane.signal?.removeEventListener('abort', onAbort);
          const at = queue.indexOf(entry);
          if (at >= 0) {
            queue.splice(at, 1);
            countQueued(lane.keyId, -1);
          }
          reject(reason);
        },
      };
      lane.signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(entry);
      countQueued(lane.keyId, 1);
      pump();
    });
  }

  budget.onWake(function tokensArrived() {
    if (!closed) pump();
  });

  return {
    run,
    pause(keyId, ms) {
      budget.refused(keyId, Math.max(0, ms));
      armWakeTimer();
    },
    rateOf: (keyId) => budget.ratePerMinute(keyId),
    stats() {
      const pausedKeys = budget.pausedKeys();
      const { interactive, background } = queues;
      return {
        inFlight,
        queued: interactive.length + background.length,
        queuedByPriority: { interactive: interactive.length, background: background.length },
        pausedKeys,
      };
    },
    async close(timeoutMs = 10_000) {
      closed = true;
      if (wakeTimer) clearTimeout(wakeTimer);
      wakeTimer = null;
      if (overShareTurn) clearImmediate(overShareTurn);
      overShareTurn = null;
      for (const queued of [...queues.interactive, ...queues.background]) queued.cancel(new SchedulerClosedError());
      if (inFlight === 0) return;
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        settled = resolve;
        timer = setTimeout(resolve, timeoutMs);
        timer.unref?.();
      });
      clearTimeout(timer);
    },
  };
}
