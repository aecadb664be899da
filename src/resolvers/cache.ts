/**
 * Cache administration: `refresh` (force a refetch, still single-flight, and say what happened),
 * `clearCache` (make entries refetch; the last good value stays as the stale-if-error fallback)
 * and `cacheStats`. Who may touch which workspace is decided by the schema's auth scopes and
 * src/access.ts; this module only works out what a call covers.
 */
import { visibleTo } from '../access';
import type { CacheEntryStats, CacheFilter } from '../sources/cache/types';
import { DASHBOARD_RESOURCES, freshnessOf, type DashboardKind, type Freshness } from '../sources/freshness';
import type { ResourceKind } from '../sources/resources';
import type { BreakerSnapshot } from '../sources/upstream/breaker';
import type { GatewayContext } from './context';
import { badInput } from './errors';
import { dashboardResources } from './plans';

/** Forces a refetch of a dashboard's data (one workspace, or every one the caller sees) and answers with the outcome. */
export async function refreshDashboard(ctx: GatewayContext, dashboard: DashboardKind, workspaceId: number | null | undefined): Promise<Freshness> {
  const visible = (await ctx.data.clients()).map((c) => c.workspaceId);
  if (workspaceId != null && !visible.includes(workspaceId)) badInput('workspaceId', `no active client with workspace ${workspaceId}`);
  const targets = workspaceId == null ? visible : [workspaceId];
  const resources = targets.flatMap((ws) => dashboardResources(dashboard, ws, ctx.calendar));
  const reads = await Promise.all(resources.map((r) => ctx.services.cache.refresh(r)));
  const { freshness, clock } = ctx.services;
  return freshnessOf(freshness.partsOf(dashboard, reads.map((r) => r.meta)), clock.now());
}

/** Makes the entries of one dashboard (or all) refetch; answers how many. */
export function clearCache(ctx: GatewayContext, dashboard: DashboardKind | null | undefined): Promise<number> {
  const filter: CacheFilter | undefined = dashboard ? { kinds: [...DASHBOARD_RESOURCES[dashboard]] } : undefined;
  return ctx.services.cache.clear(filter);
}

/** Route template of each resource kind's endpoint: which breaker guards an entry. */
const ENDPOINT_OF: Record<ResourceKind, string> = {
  workspaces: '/api/workspaces/v1.1',
  stats: '/api/workspaces/v1.1/stats',
  'sending-schedules': '/api/campaigns/sending-schedules',
  'sender-emails': '/api/sender-emails',
};

export interface CacheEntryRow extends CacheEntryStats {
  breaker: BreakerSnapshot | null;
}

/** Every cache entry the caller may see, with the breaker of its workspace and endpoint. */
export async function cacheStats(ctx: GatewayContext): Promise<CacheEntryRow[]> {
  const [entries, breakers] = [await ctx.services.cache.entries(), ctx.services.breakers()];
  return visibleTo(ctx.principal, entries).map((e) => ({
    ...e,
    breaker: breakers.find((b) => b.workspaceId === e.workspaceId && b.endpoint === ENDPOINT_OF[e.kind]) ?? null,
  }));
}
