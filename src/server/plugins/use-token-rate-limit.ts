/**
 * Per-token rate limit on the GraphQL endpoint (429 with Retry-After, code RATE_LIMITED). Runs
 * after the bearer auth plugin: it keys on the principal. The limiter itself is shared with the
 * response cache's front door (../response-cache.ts), so an answer served from the cache takes
 * from the same bucket.
 */
import type { Plugin } from 'graphql-yoga';
import type { Principal } from '../../access';
import type { Clock } from '../../clock';
import type { Logger } from '../../monitoring/logger';
import type { BucketShape, SharedBuckets } from '../../sources/cache/shared-buckets';
import { createTokenBucket, type TokenBucket } from '../../sources/upstream/token-bucket';
import { principalOf } from './use-bearer-auth';

export interface TokenRateLimiter {
  readonly perMinute: number;
  /**
   * Takes one request from this principal's bucket: 0 when it may go on, else the whole seconds to
   * wait. Synchronous without Redis; with Redis a promise (one script on the cache's connection).
   */
  take(principal: Principal): number | Promise<number>;
}

function tooManyRequests(fetchAPI: { Response: typeof Response }, retryAfterSeconds: number, perMinute: number): Response {
  const body = { errors: [{ message: `Rate limit of ${perMinute} requests a minute for this token exceeded; retry in ${retryAfterSeconds} s`, extensions: { code: 'RATE_LIMITED' } }] };
  return new fetchAPI.Response(JSON.stringify(body), {
    status: 429,
    headers: { 'content-type': 'application/json', 'retry-after': String(retryAfterSeconds) },
  });
}

export interface TokenRateLimiterOptions {
  perMinute: number;
  clock: Clock;
  /** Redis (REDIS_URL): one bucket per token for the whole cluster. Without it, each replica counts alone. */
  shared?: SharedBuckets | null;
  /** Replicas alive now (null: unknown; src/sources/replicas.ts), for the local share while Redis does not answer. */
  liveReplicas?: () => number | null;
  logger?: Pick<Logger, 'warn'>;
}

/**
 * A bucket of `perMinute` requests per token, refilled continuously, so a burst of a dashboard's
 * queries passes and a loop does not. With Redis the bucket is shared by every replica (the shared
 * token bucket of src/sources/cache/shared-buckets.ts, on Redis's clock: one script per request,
 * keyed by the token's id, never its secret): N replicas allow `perMinute`, not N times it. When
 * Redis does not answer (bounded by REDIS_TIMEOUT_MS, refused at once while it is known down), each
 * replica counts alone on its own clock at its share, `perMinute / live replicas`
 * (src/sources/replicas.ts); when that number is unknown, at the full `perMinute`, with a warning.
 * Never an error because of Redis.
 */
export function createTokenRateLimiter(options: TokenRateLimiterOptions): TokenRateLimiter {
  const { perMinute, clock, shared = null, liveReplicas = () => null, logger } = options;
  // Never refused, so a plain token bucket; forgotten once it would be full again.
  const shape: BucketShape = { ratePerMinute: perMinute, burst: perMinute, ttlMs: 2 * 60_000 };
  const buckets = new Map<string, TokenBucket>();
  let warnedUnknown = false;
  const seconds = (waitMs: number) => (waitMs > 0 ? Math.max(1, Math.ceil(waitMs / 1000)) : 0);

  /** This replica's own bucket for a key, sized to `capacity` (its share while Redis is away). */
  function takeLocal(key: string, capacity: number): number {
    let bucket = buckets.get(key);
    if (!bucket) buckets.set(key, (bucket = createTokenBucket(capacity, capacity, clock)));
    else bucket.configure(capacity, capacity);
    if (bucket.tryTake()) return 0;
    return bucket.msUntilToken();
  }

  function localShare(): number {
    if (!shared) return perMinute;
    const live = liveReplicas();
    if (live && live > 0) return Math.max(1, Math.floor(perMinute / live));
    if (!warnedUnknown) {
      warnedUnknown = true;
      logger?.warn({ perMinute }, 'per-token rate limit: Redis does not answer and the number of live replicas is unknown; each replica allows the full limit until Redis is back');
    }
    return perMinute;
  }

  async function takeShared(cluster: SharedBuckets, key: string): Promise<number> {
    try {
      const id = `rate:${key}`;
      const { granted, waitMs } = (await cluster.take(shape, new Map([[id, 1]]))).get(id)!;
      warnedUnknown = false;
      return granted > 0 ? 0 : Math.max(1, waitMs);
    } catch {
      return takeLocal(key, localShare()); // Redis is away: this replica's share, counted here
    }
  }

  return {
    perMinute,
    take(principal) {
      const key = principal.tokenId === null ? 'bootstrap-admin' : `token:${principal.tokenId}`;
      // Without Redis no await at all: the local count is synchronous.
      if (!shared) return seconds(takeLocal(key, perMinute));
      return takeShared(shared, key).then(seconds);
    },
  };
}

export function useTokenRateLimit(options: { limiter: TokenRateLimiter; graphqlEndpoint: string }): Plugin {
  const { limiter, graphqlEndpoint } = options;
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== graphqlEndpoint) return;
      const principal = principalOf(request);
      if (!principal) return; // GraphiQL page, websocket upgrade: not a GraphQL request here
      const answer = (wait: number) => {
        if (wait > 0) endResponse(tooManyRequests(fetchAPI, wait, limiter.perMinute));
      };
      const wait = limiter.take(principal);
      return typeof wait === 'number' ? answer(wait) : wait.then(answer);
    },
  };
}
