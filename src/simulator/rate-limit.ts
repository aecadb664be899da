/**
 * One token bucket per key, as Email Bison is assumed to throttle: `perMinute` tokens a minute,
 * at most `burst` saved up. Time comes from the simulator's clock, so tests refill it by moving
 * a ManualClock, never by sleeping.
 */
import type { Clock } from '../clock';

export interface RateLimitOptions {
  /** @default 60 */
  perMinute: number;
  /** @default 10 */
  burst: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { perMinute: 60, burst: 10 };

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Whole seconds until one token is back (only when refused). */
  retryAfterSeconds: number;
}

export class RateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly clock: Clock, private options: RateLimitOptions | false) {
    if (options) checkOptions(options);
  }

  get current(): RateLimitOptions | false {
    return this.options;
  }

  configure(options: RateLimitOptions | false): void {
    if (options) checkOptions(options);
    this.options = options;
    this.buckets.clear();
  }

  reset(): void {
    this.buckets.clear();
  }

  /** Takes one token for the key; null when limiting is off. */
  take(key: string): RateDecision | null {
    const opts = this.options;
    if (!opts) return null;
    const now = this.clock.now();
    const perMs = opts.perMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: opts.burst, at: now };
    bucket.tokens = Math.min(opts.burst, bucket.tokens + Math.max(0, now - bucket.at) * perMs);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, limit: opts.perMinute, remaining: Math.floor(bucket.tokens), retryAfterSeconds: 0 };
    }
    const waitMs = (1 - bucket.tokens) / perMs;
    return { allowed: false, limit: opts.perMinute, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }
}

function checkOptions(o: RateLimitOptions): void {
  if (!(o.perMinute > 0) || !(o.burst >= 1)) {
    throw new Error(`simulator rateLimit: wants { perMinute > 0, burst >= 1 } or false, got ${JSON.stringify(o)}`);
  }
}
