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
  description: 'One entry of the gateway\'s cache: one Email Bison resource of one workspace (or of the instance)',
  fields: (t) => ({
    key: t.exposeString('key', { description: 'The cache key, e.g. `stats:12:2026-11-01:2026-11-20`' }),
    resource: t.string({ description: 'What the entry holds: workspaces, stats, sending-schedules or sender-emails', resolve: (e) => e.kind }),
    workspaceId: t.int({ nullable: true, description: 'The workspace of the entry; null for instance-wide entries (the workspace list)', resolve: (e) => e.workspaceId }),
    fetchedAt: t.field({ type: 'DateTime', nullable: true, description: 'When Email Bison answered for it; null when never', resolve: (e) => e.fetchedAt }),
    ageSeconds: t.int({ nullable: true, description: 'Seconds since fetchedAt; null when never fetched', resolve: (e) => e.ageSeconds }),
    state: t.string({
      description: 'fresh | stale | error | updating, as recorded in data_cache_metadata',
      deprecationReason: 'Use `freshness`: the same FreshnessState every dashboard reports, judged by this entry\'s TTL',
      resolve: (e) => e.state,
    }),
    freshness: t.field({ type: FreshnessRef, description: 'The entry judged by its TTL (the shortest TTL of the dashboards built from it)', resolve: (e) => e.freshness }),
    ...exposeFields(t, {
      sizeBytes: field.count('Size of the stored value in bytes (JSON)'),
      recordCount: field.count('Items in the stored value: a list counts its items, anything else 1'),
      hits: field.count('Reads answered from cache by this replica'),
      misses: field.count('Reads that waited for the upstream on this replica'),
    }),
    lastError: t.field({ type: SourceErrorRef, nullable: true, description: 'Why the last refresh failed; null when it succeeded', resolve: (e) => e.lastError }),
    breaker: t.field({ type: BreakerRef, nullable: true, description: 'The circuit breaker of this entry\'s workspace and endpoint', resolve: (e) => e.breaker }),
  }),
});

builder.queryField('cacheStats', (t) => t.field({
  type: [CacheEntryStatsRef],
  description: 'Every cache entry with its freshness, hits, misses and breaker (the same facts as the table data_cache_metadata). Any token; a CLIENT token sees its own workspace\'s entries only',
  resolve: (_r, _a, ctx) => cacheStats(ctx),
}));

builder.mutationFields((t) => ({
  refresh: t.field({
    type: FreshnessRef,
    description: 'Force a refetch of a dashboard\'s data (one workspace or all visible), still one upstream call per resource however many ask; answers what happened: FRESH from the upstream, or, when it failed, what is shown instead (STALE_CACHE, the error and since when) or ERROR. Any token for its own workspace; REVENUE and other workspaces: ADMIN tokens only',
    args: {
      dashboard: t.arg({ type: DashboardKindEnum, required: true, description: 'The dashboard whose data to refetch' }),
      workspaceId: t.arg.int({ required: false, description: 'Only this workspace (an active client); default every workspace the token may see' }),
    },
    authScopes: (_r, args) => ({ $all: { dashboard: args.dashboard, ...(args.workspaceId != null ? { workspace: args.workspaceId } : {}) } }),
    resolve: (_r, args, ctx) => refreshDashboard(ctx, args.dashboard, args.workspaceId),
  }),
  clearCache: t.int({
    authScopes: { admin: true },
    description: 'Make cached entries (of one dashboard, or all) refetch on their next read; answers how many. The last good value is kept only as the stale-if-error fallback, so an upstream outage still serves flagged data instead of nothing. ADMIN tokens only',
    args: { dashboard: t.arg({ type: DashboardKindEnum, required: false, description: 'Only the entries this dashboard is built from; default all' }) },
    resolve: (_r, args, ctx) => clearCache(ctx, args.dashboard),
  }),
}));
