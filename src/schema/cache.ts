/**
 * Cache administration and visibility: `refresh` (force a refetch, still single-flight),
 * `clearCache`, `cacheStats`. A CLIENT token may refresh and inspect only its own workspace.
 */
import { cacheStats, clearCache, refreshDashboard, type CacheEntryRow } from '../resolvers/cache';
import { builder } from './builder';
import { exposeFields } from './expose';
import { field } from '../resolvers/arithmetic/fields';
import { DashboardKindEnum, FreshnessRef, SourceErrorRef } from './freshness';
import { BreakerRef } from './health';

const CacheEntryStatsRef = builder.objectRef<CacheEntryRow>('CacheEntryStats').implement({
  fields: (t) => ({
    key: t.exposeString('key'),
    resource: t.string({ resolve: (e) => e.kind }),
    workspaceId: t.int({ nullable: true, resolve: (e) => e.workspaceId }),
    fetchedAt: t.field({ type: 'DateTime', nullable: true, resolve: (e) => e.fetchedAt }),
    ageSeconds: t.int({ nullable: true, resolve: (e) => e.ageSeconds }),
    state: t.string({
      description: 'fresh | stale | error | updating, as recorded in data_cache_metadata',
      deprecationReason: 'Use `freshness`: the same FreshnessState every dashboard reports, judged by this entry\'s TTL',
      resolve: (e) => e.state,
    }),
    freshness: t.field({ type: FreshnessRef, description: 'The entry judged by its TTL (the shortest TTL of the dashboards built from it)', resolve: (e) => e.freshness }),
    ...exposeFields(t, {
      sizeBytes: field.count(),
      recordCount: field.count(),
      hits: field.count('Reads answered from cache by this replica'),
      misses: field.count('Reads that waited for the upstream on this replica'),
    }),
    lastError: t.field({ type: SourceErrorRef, nullable: true, resolve: (e) => e.lastError }),
    breaker: t.field({ type: BreakerRef, nullable: true, description: 'The circuit breaker of this entry\'s workspace and endpoint', resolve: (e) => e.breaker }),
  }),
});

builder.queryField('cacheStats', (t) => t.field({ type: [CacheEntryStatsRef], resolve: (_r, _a, ctx) => cacheStats(ctx) }));

builder.mutationFields((t) => ({
  refresh: t.field({
    type: FreshnessRef,
    description: 'Force a refetch of a dashboard\'s data (one workspace or all visible); answers what happened: FRESH from the upstream, or, when it failed, what is shown instead (STALE_CACHE, the error and since when) or ERROR',
    args: { dashboard: t.arg({ type: DashboardKindEnum, required: true }), workspaceId: t.arg.int({ required: false }) },
    authScopes: (_r, args) => ({ $all: { dashboard: args.dashboard, ...(args.workspaceId != null ? { workspace: args.workspaceId } : {}) } }),
    resolve: (_r, args, ctx) => refreshDashboard(ctx, args.dashboard, args.workspaceId),
  }),
  clearCache: t.int({
    authScopes: { admin: true },
    description: 'Make cached entries (of one dashboard, or all) refetch on their next read; answers how many. The last good value is kept only as the stale-if-error fallback, so an upstream outage still serves flagged data instead of nothing',
    args: { dashboard: t.arg({ type: DashboardKindEnum, required: false }) },
    resolve: (_r, args, ctx) => clearCache(ctx, args.dashboard),
  }),
}));
