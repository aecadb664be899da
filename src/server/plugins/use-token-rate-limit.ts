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

/** How long a replica may spend tokens it took from the shared bucket. */
const LEASE_MS = 1_000;
/** Tokens one lease takes at most. */
const MAX_LEASE = 100;

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
 *
 * A replica takes its tokens from the shared bucket in small leases, not one script per request: a
 * lease lasts `LEASE_MS`; the next one is twice as large when this one was spent in time (at most
 * one second's share of the limit, `perMinute / 60 / live replicas`), and back to one when not.
 * Tokens of an expired lease are dropped, never given to a later request, so a token never gets
 * more than its limit across the cluster; what a lease can leave unspent is at most a second's share.
 * A warm request then costs no Redis round trip most of the time (the bench counts the commands).
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

  interface Lease { tokens: number; until: number; size: number; asking: Promise<unknown> | null }
  const leases = new Map<string, Lease>();
  /** One second's share of the limit for this replica: the largest lease. */
  const largestLease = () => Math.max(1, Math.min(MAX_LEASE, Math.floor(perMinute / 60 / Math.max(1, liveReplicas() ?? 1))));

  /** A token from this replica's lease: synchronous while the lease lasts, else null. */
  function fromLease(key: string): number | null {
    const lease = leases.get(key);
    if (!lease || lease.tokens <= 0 || performance.now() >= lease.until) return null;
    lease.tokens -= 1;
    return 0;
  }

  async function takeShared(cluster: SharedBuckets, key: string): Promise<number> {
    let lease = leases.get(key);
    if (!lease) leases.set(key, (lease = { tokens: 0, until: 0, size: 1, asking: null }));
    // Requests arriving while a lease is being asked for wait for it, then try it first.
    while (lease.asking) {
      await lease.asking;
      const fromIt = fromLease(key);
      if (fromIt !== null) return fromIt;
    }
    const spentInTime = lease.tokens <= 0 && performance.now() < lease.until;
    lease.size = spentInTime ? Math.min(lease.size * 2, largestLease()) : 1;
    const id = `rate:${key}`;
    const asking = cluster.take(shape, new Map([[id, lease.size]]));
    lease.asking = asking.catch(() => {});
    try {
      const { granted, waitMs } = (await asking).get(id)!;
      warnedUnknown = false;
      lease.tokens = Math.max(0, granted - 1); // one is this request's
      // A refused ask is no lease: the next one must not count as one spent in time and grow.
      lease.until = granted > 0 ? performance.now() + LEASE_MS : 0;
      return granted > 0 ? 0 : Math.max(1, waitMs);
    } catch {
      return takeLocal(key, localShare()); // Redis is away: this replica's share, counted here
    } finally {
      lease.asking = null;
    }
  }

  return {
    perMinute,
    take(principal) {
      const key = principal.tokenId === null ? 'bootstrap-admin' : `token:${principal.tokenId}`;
      // Without Redis no await at all: the local count is synchronous.
      if (!shared) return seconds(takeLocal(key, perMinute));
      return fromLease(key) ?? takeShared(shared, key).then(seconds);
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
