/**
 * Cache administration and visibility: `refresh` (force a refetch, still single-flight),
 * `clearCache`, `cacheStats`. A CLIENT token may refresh and inspect only its own workspace.
 */
import type { DashboardKind } from '../sources/freshness';
import type { Calendar } from '../resolvers/calendar';
import type { Resource, ResourceKind } from '../sources/resources';
import type { CacheEntryStats } from '../sources/cache/types';
import { freshnessOf } from '../sources/freshness';
import { builder } from './builder';
import { expose } from './expose';
import { FreshnessRef, SourceErrorRef } from './freshness';
import { BreakerRef } from './health';
import { kpiPlan } from './kpi';
import { volumePlan } from './volume';
import { badInput, forbidden } from './errors';
import type { GatewayContext } from './context';

export const DashboardKindEnum = builder.enumType('DashboardKind', { values: ['KPI', 'VOLUME', 'REVENUE', 'INFRASTRUCTURE'] as const });

/** The upstream resources behind one dashboard's row for a workspace. */
export function dashboardResources(kind: DashboardKind, workspaceId: number, cal: Calendar): Resource[] {
  switch (kind) {
    case 'KPI':
      return Object.values(kpiPlan(workspaceId, cal));
    case 'VOLUME':
      return Object.values(volumePlan(workspaceId, cal));
    case 'REVENUE':
      return [
        { kind: 'stats', workspaceId, start: cal.windows.mtd.start, end: cal.windows.mtd.end },
        { kind: 'sender-emails', workspaceId },
      ];
    case 'INFRASTRUCTURE':
      return [{ kind: 'sender-emails', workspaceId }];
  }
}

/** Resource kinds a dashboard reads (stats are shared by KPI, volume and revenue). */
export const dashboardKinds: Record<DashboardKind, ResourceKind[]> = {
  KPI: ['stats'],
  VOLUME: ['stats', 'sending-schedules'],
  REVENUE: ['stats', 'sender-emails'],
  INFRASTRUCTURE: ['sender-emails'],
};

/** Workspaces a refresh may touch: one the caller may see, or all it sees. */
async function refreshTargets(ctx: GatewayContext, workspaceId: number | null | undefined): Promise<number[]> {
  const visible = (await ctx.data.clients()).map((c) => c.workspaceId);
  if (workspaceId == null) return visible;
  if (ctx.principal.role === 'CLIENT' && workspaceId !== ctx.principal.workspaceId) {
    forbidden('A CLIENT token may only refresh its own workspace');
  }
  if (!visible.includes(workspaceId)) badInput('workspaceId', `no active client with workspace ${workspaceId}`);
  return [workspaceId];
}

type EntryRow = CacheEntryStats & { breaker: ReturnType<GatewayContext['services']['breakers']>[number] | null };

const CacheEntryStatsRef = builder.objectRef<EntryRow>('CacheEntryStats').implement({
  fields: (t) => ({
    key: t.exposeString('key'),
    resource: t.string({ resolve: (e) => e.kind }),
    workspaceId: t.int({ nullable: true, resolve: (e) => e.workspaceId }),
    fetchedAt: t.field({ type: 'DateTime', nullable: true, resolve: (e) => e.fetchedAt }),
    ageSeconds: t.int({ nullable: true, resolve: (e) => e.ageSeconds }),
    state: t.string({ description: 'fresh | stale | error | updating', resolve: (e) => e.state }),
    ...expose(t, {
      sizeBytes: ['Int'],
      recordCount: ['Int'],
      hits: ['Int', 'Reads answered from cache by this replica'],
      misses: ['Int', 'Reads that waited for the upstream on this replica'],
    }),
    lastError: t.field({ type: SourceErrorRef, nullable: true, resolve: (e) => e.lastError }),
    breaker: t.field({ type: BreakerRef, nullable: true, description: 'The circuit breaker of this entry\'s workspace and endpoint', resolve: (e) => e.breaker }),
  }),
});

const ENDPOINT_OF: Record<ResourceKind, string> = {
  workspaces: '/api/workspaces/v1.1',
  stats: '/api/workspaces/v1.1/stats',
  'sending-schedules': '/api/campaigns/sending-schedules',
  'sender-emails': '/api/sender-emails',
};

builder.queryField('cacheStats', (t) =>
  t.field({
    type: [CacheEntryStatsRef],
    resolve: async (_r, _a, ctx) => {
      const [entries, breakers] = [await ctx.services.cache.entries(), ctx.services.breakers()];
      const own = ctx.principal.role === 'CLIENT' ? ctx.principal.workspaceId : null;
      return entries
        .filter((e) => own === null || e.workspaceId === own)
        .map((e) => ({ ...e, breaker: breakers.find((b) => b.workspaceId === e.workspaceId && b.endpoint === ENDPOINT_OF[e.kind]) ?? null }));
    },
  }),
);

builder.mutationFields((t) => ({
  refresh: t.field({
    type: FreshnessRef,
    description: 'Force a refetch of a dashboard\'s data (one workspace or all visible); answers with the new freshness',
    args: { dashboard: t.arg({ type: DashboardKindEnum, required: true }), workspaceId: t.arg.int({ required: false }) },
    resolve: async (_r, args, ctx) => {
      if (args.dashboard === 'REVENUE' && ctx.principal.role !== 'ADMIN') forbidden('Revenue is for ADMIN tokens only');
      const targets = await refreshTargets(ctx, args.workspaceId);
      const ttlMs = ctx.ttlMs(args.dashboard);
      const resources = targets.flatMap((ws) => dashboardResources(args.dashboard, ws, ctx.calendar));
      const reads = await Promise.all(resources.map((r) => ctx.services.cache.refresh(r, { ttlMs })));
      return freshnessOf(reads.map((r) => r.meta), ctx.services.clock.now());
    },
  }),
  clearCache: t.int({
    authScopes: { admin: true },
    description: 'Remove cached entries (of one dashboard, or all); answers how many were removed',
    args: { dashboard: t.arg({ type: DashboardKindEnum, required: false }) },
    resolve: (_r, args, ctx) => ctx.services.cache.clear(args.dashboard ? { kinds: dashboardKinds[args.dashboard] } : undefined),
  }),
}));
