/**
 * Freshness, validation warnings and per-workspace errors: what every dashboard and row carries,
 * and `freshnessChanged`, the subscription to them.
 */
import type { ValidationWarning } from '../resolvers/arithmetic/warnings';
import { freshnessChanges, type FreshnessEvent } from '../resolvers/freshness-events';
import type { SourceErrorInfo } from '../sources/errors';
import { DASHBOARDS, type Freshness } from '../sources/freshness';
import { builder } from './builder';

export const DashboardKindEnum = builder.enumType('DashboardKind', { values: DASHBOARDS });

export const FreshnessState = builder.enumType('FreshnessState', {
  values: ['FRESH', 'STALE', 'VERY_STALE', 'WARNING', 'ERROR'] as const,
  description: 'Judged against the TTL of the dashboard showing the value (KPI: 2 min). FRESH: within the TTL and the last attempt succeeded; STALE: older than the TTL, or the last attempt failed, or a webhook said it changed; VERY_STALE: older than 5 x the TTL; WARNING: fresh but with validation warnings; ERROR: nothing usable',
});

export const DataOrigin = builder.enumType('DataOrigin', {
  values: ['UPSTREAM', 'CACHE', 'STALE_CACHE', 'NONE'] as const,
  description: 'Where a value came from: fetched for this request, the cache, the cache after the upstream failed, or nowhere',
});

export const FreshnessRef = builder.objectRef<Freshness>('Freshness').implement({
  description: 'How fresh a value is and where it came from',
  fields: (t) => ({
    state: t.field({ type: FreshnessState, resolve: (f) => f.state }),
    origin: t.field({ type: DataOrigin, resolve: (f) => f.origin }),
    fetchedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Upstream fetch time of the oldest part of this value',
      resolve: (f) => f.fetchedAt,
    }),
    ageSeconds: t.int({ nullable: true, resolve: (f) => f.ageSeconds }),
    refreshing: t.boolean({ description: 'A background refresh is in flight', resolve: (f) => f.refreshing }),
    nextRefreshAt: t.field({ type: 'DateTime', nullable: true, resolve: (f) => f.nextRefreshAt }),
    message: t.string({ nullable: true, resolve: (f) => f.message }),
  }),
});

export const ValidationWarningRef = builder.objectRef<ValidationWarning>('ValidationWarning').implement({
  description: 'A rule flagged this value; the data is still served',
  fields: (t) => ({
    workspaceId: t.int({ nullable: true, resolve: (w) => w.workspaceId }),
    field: t.string({ nullable: true, resolve: (w) => w.field }),
    rule: t.exposeString('rule'),
    message: t.exposeString('message'),
  }),
});

export const SourceErrorRef = builder.objectRef<SourceErrorInfo>('SourceError').implement({
  description: 'A workspace whose data could not be served (it is left out of the rows)',
  fields: (t) => ({
    workspaceId: t.int({ nullable: true, resolve: (e) => e.workspaceId }),
    code: t.exposeString('code'),
    message: t.exposeString('message'),
    retryable: t.exposeBoolean('retryable'),
  }),
});

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/** What every dashboard (and, without errors, every row) carries beside its numbers. */
export interface Judged {
  freshness: Freshness;
  warnings: ValidationWarning[];
}

export function judgedFields<T extends Judged>(t: PothosSchemaTypes.ObjectFieldBuilder<Types, T>) {
  return {
    freshness: t.field({ type: FreshnessRef, resolve: (d) => d.freshness }),
    warnings: t.field({ type: [ValidationWarningRef], resolve: (d) => d.warnings }),
  };
}

export function dashboardFields<T extends Judged & { errors: SourceErrorInfo[] }>(t: PothosSchemaTypes.ObjectFieldBuilder<Types, T>) {
  return { ...judgedFields(t), errors: t.field({ type: [SourceErrorRef], resolve: (d) => d.errors }) };
}

const FreshnessEventRef = builder.objectRef<FreshnessEvent>('FreshnessEvent').implement({
  fields: (t) => ({
    dashboard: t.field({ type: DashboardKindEnum, resolve: (e) => e.dashboard }),
    workspaceId: t.int({ nullable: true, resolve: (e) => e.workspaceId }),
    resource: t.exposeString('resource', { description: 'The cache key whose change this event reports (for the first event: the oldest part)' }),
    freshness: t.field({ type: FreshnessRef, resolve: (e) => e.freshness }),
  }),
});

builder.subscriptionField('freshnessChanged', (t) =>
  t.field({
    type: FreshnessEventRef,
    description: 'The freshness of every (dashboard, workspace) followed, as its row shows it: the current value of each first, then an event whenever what it shows changes (state, origin, fetch time or message), coalesced. Following a dashboard keeps its data fresh',
    args: { dashboard: t.arg({ type: DashboardKindEnum, required: false }) },
    authScopes: (_root, args) => (args.dashboard ? { dashboard: args.dashboard } : true),
    subscribe: (_root, args, ctx) => freshnessChanges(ctx, args.dashboard),
    resolve: (event: FreshnessEvent) => event,
  }),
);
