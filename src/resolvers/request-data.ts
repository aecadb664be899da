/**
 * The request's data: per-request DataLoaders in front of the shared cache (each resource read
 * once per request), the clients this principal may see, and every read remembered with the TTL
 * it is judged by, for `extensions.freshness`.
 */
import type { FreshnessPart, FreshnessPolicy } from '../sources/freshness';
import type { Loaders } from '../sources/loaders';
import type { ClientRecord } from '../sources/registry/types';
import type { RequestData } from './context';

export interface RequestDataOptions {
  loaders: Loaders;
  freshness: FreshnessPolicy;
  clients(): Promise<ClientRecord[]>;
}

export function createRequestData({ loaders, freshness, clients }: RequestDataOptions): RequestData {
  const reads: FreshnessPart[] = [];
  return {
    reads,
    clients,
    read(resource, dashboard) {
      const ttlMs = dashboard ? freshness.dashboardTtlMs(dashboard) : freshness.resourceTtlMs(resource.kind);
      return loaders.read(resource).then((result) => {
        reads.push({ meta: result.meta, ttlMs });
        return result;
      });
    },
  };
}
