/**
 * How fast one upstream key may go: its token bucket, slowed down by 429s.
 *
 * A 429 says the upstream's budget for the key is smaller than ours. So the key is held until the
 * Retry-After (an empty bucket: the queued calls then leave one by one at the refill rate, not in
 * one burst), and its rate drops: halved, and at most 90 % of one call per Retry-After (a
 * token-bucket upstream names the time until its next token; matching it exactly would meet its
 * limit again at the first jitter), with a burst of one. Calls that were already in
 * flight and come back refused during the hold are the same episode and slow it only once. With
 * no refusal for `recoverEveryMs`, the rate grows by `recoverFactor` until it is back to the
 * configured one (and the burst with it).
 */
import type { Clock } from '../../clock';
import { createTokenBucket } from './token-bucket';

/** Of the pace a Retry-After suggests, the share a slowed key takes. */
const HINT_SHARE = 0.9;

export interface PaceOptions {
  /** The configured rate (calls a minute) and burst. */
  ratePerMinute: number;
  burst: number;
  clock: Clock;
  /** A 429 never slows a key below this. @default 1 (or the configured rate when lower) */
  minRatePerMinute?: number;
  /** @default 60_000 */
  recoverEveryMs?: number;
  /** @default 1.25 */
  recoverFactor?: number;
}

export interface KeyPace {
  tryTake(): boolean;
  msUntilToken(): number;
  /** A 429 with this Retry-After (ms; 0 when none was given). */
  refused(retryAfterMs: number): void;
  ratePerMinute(): number;
  heldUntil(): number;
}

export function createKeyPace(options: PaceOptions): KeyPace {
  const { ratePerMinute: configured, burst, clock, recoverEveryMs = 60_000, recoverFactor = 1.25 } = options;
  const floor = Math.min(configured, options.minRatePerMinute ?? 1);
  const bucket = createTokenBucket(configured, burst, clock);
  let rate = configured;
  let changedAt = clock.now();

  function setRate(next: number): void {
    rate = next;
    changedAt = clock.now();
    bucket.configure(rate, rate >= configured ? burst : 1);
  }

  /** Lazily, when the key is used: one step back up per quiet `recoverEveryMs`. */
  function recover(): void {
    if (rate >= configured || clock.now() < bucket.heldUntil()) return;
    if (clock.now() - changedAt >= recoverEveryMs) setRate(Math.min(configured, rate * recoverFactor));
  }

  return {
    tryTake() {
      recover();
      return bucket.tryTake();
    },
    msUntilToken() {
      recover();
      return bucket.msUntilToken();
    },
    refused(retryAfterMs) {
      const now = clock.now();
      if (now >= bucket.heldUntil()) {
        const hinted = retryAfterMs > 0 ? (HINT_SHARE * 60_000) / retryAfterMs : Infinity;
        setRate(Math.max(floor, Math.min(rate / 2, hinted)));
      }
      bucket.holdUntil(now + retryAfterMs);
    },
    ratePerMinute: () => rate,
    heldUntil: () => bucket.heldUntil(),
  };
}
