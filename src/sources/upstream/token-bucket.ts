/**
 * A token bucket: `burst` calls may go at once, then one call every `60_000 / ratePerMinute` ms.
 * `holdUntil` empties it until a moment (a 429's Retry-After): at that moment one call may go and
 * the next ones follow at the refill rate, never in a burst. Time comes from the injected clock so
 * tests can drive it; a clock stepped back refills nothing.
 */
import type { Clock } from '../../clock';

export interface TokenBucket {
  /** Takes a token when one is available; returns whether it did. */
  tryTake(): boolean;
  /** Milliseconds until a token will be available (0 when one is). */
  msUntilToken(): number;
  /** No token before `at`; then one, and the rest at the refill rate. */
  holdUntil(at: number): void;
  /** The end of the current hold (0 when none was ever set). */
  heldUntil(): number;
  /** Changes the refill rate and the size from now on (tokens above the new size are dropped). */
  configure(ratePerMinute: number, burst: number): void;
}

export function createTokenBucket(ratePerMinute: number, burst: number, clock: Clock): TokenBucket {
  let msPerToken = 60_000 / ratePerMinute;
  let size = burst;
  let tokens = burst;
  let refilledAt = clock.now();
  let heldUntil = 0;

  function refill(): void {
    const now = clock.now();
    if (now <= refilledAt) return;
    tokens = Math.min(size, tokens + (now - refilledAt) / msPerToken);
    refilledAt = now;
  }

  return {
    tryTake() {
      if (clock.now() < heldUntil) return false;
      refill();
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
    msUntilToken() {
      const now = clock.now();
      if (now < heldUntil) return heldUntil - now;
      refill();
      return tokens >= 1 ? 0 : Math.ceil((1 - tokens) * msPerToken);
    },
    holdUntil(at) {
      heldUntil = Math.max(heldUntil, at);
      // One token waits at the end of the hold; refilling starts from there.
      tokens = 1;
      refilledAt = Math.max(refilledAt, heldUntil);
    },
    heldUntil: () => heldUntil,
    configure(rate, newBurst) {
      refill();
      msPerToken = 60_000 / rate;
      size = newBurst;
      tokens = Math.min(tokens, size);
    },
  };
}
