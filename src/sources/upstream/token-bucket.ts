/**
 * A token bucket per upstream key: `burst` calls may go at once, then one call every
 * `60_000 / ratePerMinute` ms. Time comes from the injected clock so tests can drive it.
 */
import type { Clock } from '../../clock';

export interface TokenBucket {
  /** Takes a token when one is available; returns whether it did. */
  tryTake(): boolean;
  /** Milliseconds until a token will be available (0 when one is). */
  msUntilToken(): number;
}

export function createTokenBucket(ratePerMinute: number, burst: number, clock: Clock): TokenBucket {
  const msPerToken = 60_000 / ratePerMinute;
  let tokens = burst;
  let refilledAt = clock.now();

  function refill(): void {
    const now = clock.now();
    if (now <= refilledAt) return;
    tokens = Math.min(burst, tokens + (now - refilledAt) / msPerToken);
    refilledAt = now;
  }

  return {
    tryTake() {
      refill();
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
    msUntilToken() {
      refill();
      return tokens >= 1 ? 0 : Math.ceil((1 - tokens) * msPerToken);
    },
  };
}
