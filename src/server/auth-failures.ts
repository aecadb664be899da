/**
 * Failed bearer-token attempts, limited per client address before any database work: an address
 * may fail `perMinute` times at once, then once per `60 / perMinute` s. While it is over its
 * budget, every request from it is answered 429 with Retry-After without looking at its token (a
 * `bgw_…` token would cost a Postgres query, and a brute force gets nowhere). Successful requests
 * cost nothing. Per replica, like the per-token rate limit.
 *
 * The address is the TCP peer, or with `trustProxyHops` proxies in front (each appending to
 * X-Forwarded-For) the entry that many places from the right: the address the outermost trusted
 * proxy saw. Behind a balancer that hides client addresses, set it, or every client shares one
 * budget.
 */
import type { Clock } from '../clock';
import { createTokenBucket, type TokenBucket } from '../sources/upstream/token-bucket';

export interface AuthFailureLimiter {
  /** Whole seconds this address must wait before its token is even looked at; 0 when it may try. */
  retryAfterSeconds(address: string): number;
  /** Counts one failed attempt of this address. */
  failed(address: string): void;
  /** Addresses tracked (bounded by `maxAddresses`). */
  size(): number;
}

export interface AuthFailureOptions {
  perMinute: number;
  clock: Clock;
  /** Oldest addresses are forgotten beyond this many. @default 10_000 */
  maxAddresses?: number;
}

export function createAuthFailureLimiter(options: AuthFailureOptions): AuthFailureLimiter {
  const { perMinute, clock, maxAddresses = 10_000 } = options;
  const buckets = new Map<string, TokenBucket>();

  return {
    retryAfterSeconds(address) {
      const bucket = buckets.get(address);
      if (!bucket) return 0;
      const ms = bucket.msUntilToken();
      return ms > 0 ? Math.max(1, Math.ceil(ms / 1000)) : 0;
    },
    failed(address) {
      let bucket = buckets.get(address);
      if (bucket) buckets.delete(address); // re-inserted below: the Map's order is least recently failed first
      else bucket = createTokenBucket(perMinute, perMinute, clock);
      bucket.tryTake();
      buckets.set(address, bucket);
      if (buckets.size > maxAddresses) buckets.delete(buckets.keys().next().value!);
    },
    size: () => buckets.size,
  };
}

/** The node:http request behind a Yoga request, when there is one (not for in-process `fetch`). */
interface NodeServerContext {
  req?: { socket?: { remoteAddress?: string } };
}

/** The client's address: the TCP peer, or the X-Forwarded-For entry `trustProxyHops` from the right. */
export function clientAddress(serverContext: unknown, headers: Headers, trustProxyHops: number): string {
  const peer = (serverContext as NodeServerContext | undefined)?.req?.socket?.remoteAddress ?? 'unknown';
  return addressOf(peer, headers.get('x-forwarded-for'), trustProxyHops);
}

/** The same from the TCP peer's address and the raw X-Forwarded-For header (node:http's view). */
export function addressOf(peer: string, forwardedFor: string | null | undefined, trustProxyHops: number): string {
  if (trustProxyHops === 0) return peer;
  const forwarded = (forwardedFor ?? '').split(',').map((a) => a.trim()).filter(Boolean);
  const chain = [...forwarded, peer];
  return chain[Math.max(0, chain.length - 1 - trustProxyHops)];
}
