/**
 * The request's data: per-request DataLoaders in front of the shared cache (each resource read
 * once per request), the clients this principal may see, and every read remembered with the TTL
 * it is judged by, for `extensions.freshness`; every freshness the answer shows, judged at the
 * request's time (`judge`); and whether the answer is whole (the response cache
 * keeps only answers that follow from what they read).
 */
import { freshnessOf, type FreshnessPart, type FreshnessPolicy } from '../sources/freshness';
import type { Loaders } from '../sources/loaders';
import type { ClientRecord } from '../sources/registry/types';
import type { RequestData } from './context';

export interface RequestDataOptions {
  loaders: Loaders;
  freshness: FreshnessPolicy;
  clients(): Promise<ClientRecord[]>;
  /** Request time (epoch ms): what every freshness in the answer is judged at. */
  now: number;
}

export function createRequestData({ loaders, freshness, clients, now }: RequestDataOptions): RequestData {
  const reads: FreshnessPart[] = [];
  const shownAges: number[] = [];
  let partial = false;
  return {
    reads,
    clients,
    read(resource, dashboard) {
      const ttlMs = dashboard ? freshness.dashboardTtlMs(dashboard) : freshness.resourceTtlMs(resource.kind);
      return loaders.read(resource).then((result) => {
        reads.push({ meta: result.meta, ttlMs });
        if (result.meta.origin === 'NONE') partial = true;
        return result;
      });
    },
    judge(parts, options) {
      const judged = freshnessOf(parts, now, options);
      if (judged.fetchedAt !== null) shownAges.push(judged.fetchedAt);
      return judged;
    },
    shownAges,
    get partial() {
      return partial;
    },
    markPartial() {
      partial = true;
    },
  };
}
