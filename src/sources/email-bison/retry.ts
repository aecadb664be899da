/**
 * The retry policy around one logical call: p-retry with exponential backoff and jitter, capped
 * delays and an overall deadline. Only failures that may pass on their own are retried: network
 * errors, timeouts, 5xx and 429. Never other 4xx, invalid payloads or an open circuit.
 */
import pRetry from 'p-retry';
import { SourceError } from '../errors';

export interface RetryPolicy {
  /** Retries after the first attempt. @default 3 */
  retries: number;
  /** Delay before the first retry. @default 1000 */
  minDelayMs: number;
  /** No delay grows beyond this. @default 10_000 */
  maxDelayMs: number;
  /** @default 2 */
  factor: number;
  /**
   * No retry starts once this much time has passed since the first attempt was sent (time spent
   * waiting in the gateway's own queues does not count). @default 120_000
   */
  deadlineMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { retries: 3, minDelayMs: 1000, maxDelayMs: 10_000, factor: 2, deadlineMs: 120_000 };

export interface RetryOptions {
  signal?: AbortSignal;
  /** Narrows the policy further for calls that are not safe to repeat (e.g. minting a token). */
  mayRetry?: (err: SourceError) => boolean;
  /** When the first attempt went out (performance.now()); the deadline counts from then. @default when withRetries was called */
  firstSentAt?: () => number | null;
}

/** Whether a failure is of a kind worth another attempt. */
export function isTransient(err: unknown): err is SourceError {
  return err instanceof SourceError && err.retryable && err.code !== 'CIRCUIT_OPEN';
}

export function withRetries<T>(policy: RetryPolicy, attempt: (attemptNumber: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const startedAt = performance.now();
  return pRetry(attempt, {
    retries: policy.retries,
    minTimeout: policy.minDelayMs,
    maxTimeout: policy.maxDelayMs,
    factor: policy.factor,
    randomize: true, // jitter: each delay is multiplied by a random factor in [1, 2), then capped
    // No maxRetryTime: p-retry would count from here, queue time included; the deadline is below.
    signal: options.signal,
    shouldRetry({ error }) {
      if (!isTransient(error)) return false;
      if (options.mayRetry && !options.mayRetry(error)) return false;
      // A Retry-After that ends past the deadline cannot lead to a useful retry: fail now.
      const waitMs = (error.retryAfterSeconds ?? 0) * 1000;
      return performance.now() - (options.firstSentAt?.() ?? startedAt) + waitMs < policy.deadlineMs;
    },
  });
}
