/**
 * The upstream scheduler: every Email Bison call of the process goes through `run`.
 *
 * - A shared pool of `concurrency` slots, as a sliding window: a queued call starts as soon as
 *   any call finishes (never in batches that wait for their slowest member).
 * - Interactive calls (someone is waiting) are started before background refreshes.
 * - A token bucket per key paces calls below the upstream's per-key rate limit. A call whose key
 *   has no token (or is paused after a 429) waits in the queue without holding back calls of
 *   other keys: no head-of-line blocking. Calls are queued, never rejected.
 */
import { systemClock, type Clock } from '../../clock';
import { createTokenBucket, type TokenBucket } from './token-bucket';

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
  /** Holds every queued and future call of this key for `ms` (429 Retry-After). */
  pause(keyId: string, ms: number): void;
  stats(): SchedulerStats;
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
}

interface Queued {
  lane: SchedulerLane;
  start: () => void;
  cancel: () => void;
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
  const buckets = new Map<string, TokenBucket>();
  const pausedUntil = new Map<string, number>();
  let inFlight = 0;
  let wakeTimer: ReturnType<typeof setTimeout> | null = null;

  function bucketOf(keyId: string): TokenBucket {
    let bucket = buckets.get(keyId);
    if (!bucket) buckets.set(keyId, (bucket = createTokenBucket(ratePerMinute, burst, clock)));
    return bucket;
  }

  function msUntilReady(keyId: string): number {
    const pause = (pausedUntil.get(keyId) ?? 0) - clock.now();
    return Math.max(pause, bucketOf(keyId).msUntilToken());
  }

  /** The first queued call whose key may go now; interactive before background, FIFO within. */
  function takeNextReady(): Queued | null {
    const notReady = new Set<string>();
    for (const queue of [queues.interactive, queues.background]) {
      for (let i = 0; i < queue.length; i++) {
        const { keyId } = queue[i].lane;
        if (notReady.has(keyId)) continue;
        if ((pausedUntil.get(keyId) ?? 0) > clock.now() || !bucketOf(keyId).tryTake()) {
          notReady.add(keyId);
          continue;
        }
        return queue.splice(i, 1)[0];
      }
    }
    return null;
  }

  function pump(): void {
    while (inFlight < concurrency) {
      const next = takeNextReady();
      if (!next) break;
      next.start();
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
      lane.signal?.throwIfAborted();
      const queue = queues[lane.priority];
      const onAbort = () => entry.cancel();
      const entry: Queued = {
        lane,
        start() {
          lane.signal?.removeEventListener('abort', onAbort);
          inFlight++;
          Promise.resolve()
            .then(task)
            .then(resolve, reject)
            .finally(function releaseSlot() {
              inFlight--;
              pump();
            });
        },
        cancel() {
          const at = queue.indexOf(entry);
          if (at >= 0) queue.splice(at, 1);
          reject(lane.signal?.reason);
        },
      };
      lane.signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(entry);
      pump();
    });
  }

  return {
    run,
    pause(keyId, ms) {
      const until = clock.now() + Math.max(0, ms);
      if (until > (pausedUntil.get(keyId) ?? 0)) pausedUntil.set(keyId, until);
      armWakeTimer();
    },
    stats() {
      const now = clock.now();
      let pausedKeys = 0;
      for (const [keyId, until] of pausedUntil) {
        if (until > now) pausedKeys++;
        else pausedUntil.delete(keyId);
      }
      const { interactive, background } = queues;
      return {
        inFlight,
        queued: interactive.length + background.length,
        queuedByPriority: { interactive: interactive.length, background: background.length },
        pausedKeys,
      };
    },
  };
}
