/**
 * Where the scheduler gets a key's tokens. The queue (who goes first) stays in the scheduler; only
 * the budget lives here, so it can be this process's alone (`createLocalPace`: a token bucket per
 * key, ./key-pace.ts) or shared by every replica through Redis (./shared-pace.ts).
 *
 * Asking is synchronous: a source that gets its tokens from elsewhere answers from what it holds
 * and calls the `wake` it was given once more may have arrived, so the scheduler looks again.
 */
import type { Clock } from '../../clock';
import { createKeyPace, type KeyPace, type PaceOptions } from './key-pace';

export interface PaceSource {
  /**
   * Takes a token for the key when one is here; `waiting` is how many calls of the key could start
   * now (queued, and no more than the free slots): a source that fetches tokens fetches that many.
   */
  tryTake(keyId: string, waiting: number): boolean;
  /** When to look again if nothing wakes the scheduler sooner (ms, >= 0). */
  msUntilToken(keyId: string): number;
  /** The upstream refused the key (429) and asked to wait `retryAfterMs` (0 when it did not say). */
  refused(keyId: string, retryAfterMs: number): void;
  /** The key's pace, calls a minute (the configured rate unless a 429 slowed it). */
  ratePerMinute(keyId: string): number;
  /** Keys held after a 429 at this moment. */
  pausedKeys(): number;
  /** `local`: this process's budget; `shared`: the replicas' budget in Redis; `fallback`: Redis is unreachable, this replica's share. */
  mode(): 'local' | 'shared' | 'fallback';
  /** Live replicas sharing the budget, as last counted (1 for a local budget). */
  replicas(): number;
  /** The scheduler's pump: called when tokens may have arrived. */
  onWake(wake: () => void): void;
  /** Stops background work (heartbeats) and lets go of what it holds elsewhere. */
  close(): Promise<void>;
}

export type LocalPaceOptions = Pick<PaceOptions, 'ratePerMinute' | 'burst' | 'clock'> &
  Partial<Pick<PaceOptions, 'minRatePerMinute' | 'recoverEveryMs' | 'recoverFactor'>>;

/** This process's own budget: one token bucket per key, slowed by 429s (./key-pace.ts). */
export function createLocalPace(options: LocalPaceOptions): PaceSource {
  const paces = new Map<string, KeyPace>();
  const paceOf = (keyId: string) => {
    let pace = paces.get(keyId);
    if (!pace) paces.set(keyId, (pace = createKeyPace(options)));
    return pace;
  };
  return {
    tryTake: (keyId) => paceOf(keyId).tryTake(),
    msUntilToken: (keyId) => paceOf(keyId).msUntilToken(),
    refused: (keyId, ms) => paceOf(keyId).refused(Math.max(0, ms)),
    ratePerMinute: (keyId) => paceOf(keyId).ratePerMinute(),
    pausedKeys() {
      const now = options.clock.now();
      let paused = 0;
      for (const pace of paces.values()) if (pace.heldUntil() > now) paused++;
      return paused;
    },
    mode: () => 'local',
    replicas: () => 1,
    onWake() {}, // tokens only come with time: the scheduler's wake timer covers it
    async close() {},
  };
}
