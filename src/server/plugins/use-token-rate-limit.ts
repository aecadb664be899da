/**
 * Per-token rate limit on the GraphQL endpoint (429 with Retry-After, code RATE_LIMITED). Runs
 * after the bearer auth plugin: it keys on the principal. The limiter itself is shared with the
 * response cache's front door (../response-cache.ts), so an answer served from the cache takes
 * from the same bucket.
 */
import type { Plugin } from 'graphql-yoga';
import type { Principal } from '../../access';
import type { Clock } from '../../clock';
import { principalOf } from './use-bearer-auth';

export interface TokenRateLimiter {
  readonly perMinute: number;
  /** Takes one request from this principal's bucket: 0 when it may go on, else the whole seconds to wait. */
  take(principal: Principal): number;
}

function tooManyRequests(fetchAPI: { Response: typeof Response }, retryAfterSeconds: number, perMinute: number): Response {
  const body = { errors: [{ message: `Rate limit of ${perMinute} requests a minute for this token exceeded; retry in ${retryAfterSeconds} s`, extensions: { code: 'RATE_LIMITED' } }] };
  return new fetchAPI.Response(JSON.stringify(body), {
    status: 429,
    headers: { 'content-type': 'application/json', 'retry-after': String(retryAfterSeconds) },
  });
}

/**
 * A bucket of `perMinute` requests per token, refilled continuously, so a burst of a dashboard's
 * queries passes and a loop does not. Per replica: N replicas allow N times.
 */
export function createTokenRateLimiter(options: { perMinute: number; clock: Clock }): TokenRateLimiter {
  const { perMinute, clock } = options;
  const refillPerMs = perMinute / 60_000;
  const buckets = new Map<string, { tokens: number; at: number }>();

  function take(key: string): number {
    const now = clock.now();
    const bucket = buckets.get(key) ?? { tokens: perMinute, at: now };
    // A clock stepped back (NTP, a test) refills nothing rather than draining the bucket for hours.
    bucket.tokens = Math.min(perMinute, bucket.tokens + Math.max(0, now - bucket.at) * refillPerMs);
    bucket.at = now;
    buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerMs / 1000));
  }

  return {
    perMinute,
    take: (principal) => take(principal.tokenId === null ? 'bootstrap-admin' : `token:${principal.tokenId}`),
  };
}

export function useTokenRateLimit(options: { limiter: TokenRateLimiter; graphqlEndpoint: string }): Plugin {
  const { limiter, graphqlEndpoint } = options;
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== graphqlEndpoint) return;
      const principal = principalOf(request);
      if (!principal) return; // GraphiQL page, websocket upgrade: not a GraphQL request here
      const wait = limiter.take(principal);
      if (wait > 0) endResponse(tooManyRequests(fetchAPI, wait, limiter.perMinute));
    },
  };
}
