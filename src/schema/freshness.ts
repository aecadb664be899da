/**
 * Freshness, validation warnings and per-workspace errors: what every dashboard and row carries,
 * and `freshnessChanged`, the subscription to them.
 */
import type { ValidationWarning } from '../resolvers/arithmetic/warnings';
import { freshnessChanges, type FreshnessEvent } from '../resolvers/freshness-events';
import type { SourceErrorInfo } from '../sources/errors';
import type { DashboardKind, Freshness, FreshnessState as State } from '../sources/freshness';
import type { DataOrigin as Origin } from '../sources/cache/types';
import { builder } from './builder';
import { described } from './enums';

export const DashboardKindEnum = builder.enumType('DashboardKind', {
  description: 'The four dashboards (each has its own TTL: KPI and VOLUME 2 min, REVENUE 5 min, INFRASTRUCTURE 10 min by default)',
  values: described<DashboardKind>({
    KPI: 'Interested leads against each client\'s monthly target (`kpi`)',
    VOLUME: 'Emails sent against each client\'s sending target (`volume`)',
    REVENUE: 'What each client earned the agency, and at what cost (`revenue`; ADMIN tokens only)',
    INFRASTRUCTURE: 'Every mailbox, priced and sized, and its aggregates (`infrastructure`)',
  }),
});

export const FreshnessState = builder.enumType('FreshnessState', {
  description: 'How fresh a value is, judged against the TTL of the dashboard showing it (KPI: 2 min)',
  values: described<State>({
    FRESH: 'Within the TTL, and the last attempt to fetch it succeeded',
    STALE: 'Older than the TTL, or the last attempt failed (origin STALE_CACHE), or an Email Bison webhook said it changed',
    VERY_STALE: 'Older than 5 x the TTL (KPI: 10 min)',
    WARNING: 'Fresh, but validation warnings are attached (the message names them)',
    ERROR: 'Nothing usable: never fetched, or older than the stale-if-error limit (1 h)',
  }),
});

export const DataOrigin = builder.enumType('DataOrigin', {
  description: 'Where a value came from',
  values: described<Origin>({
    UPSTREAM: 'Fetched from Email Bison for this request',
    CACHE: 'The gateway\'s cache',
    STALE_CACHE: 'The cache, because the last attempt to refresh it failed: state is never FRESH then, and message says what failed and since when',
    NONE: 'Nowhere: there is no value',
  }),
});

export const FreshnessRef = builder.objectRef<Freshness>('Freshness').implement({
  description: 'How fresh a value is and where it came from. A value made of several parts (a row of several stats windows, a dashboard of many workspaces) is as old as its oldest part and as bad as its worst one',
  fields: (t) => ({
    state: t.field({ type: FreshnessState, description: 'FRESH, STALE, VERY_STALE, WARNING or ERROR', resolve: (f) => f.state }),
    origin: t.field({ type: DataOrigin, description: 'Where the value came from', resolve: (f) => f.origin }),
    fetchedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When Email Bison answered, for the oldest part of this value; null when never',
      resolve: (f) => f.fetchedAt,
    }),
    ageSeconds: t.int({ nullable: true, description: 'Seconds since fetchedAt; null when never fetched', resolve: (f) => f.ageSeconds }),
    refreshing: t.boolean({ description: 'A background refresh is in flight', resolve: (f) => f.refreshing }),
    nextRefreshAt: t.field({ type: 'DateTime', nullable: true, description: 'When the value turns stale and is refetched on its next read (or ahead of time while someone subscribes)', resolve: (f) => f.nextRefreshAt }),
    message: t.string({ nullable: true, description: 'What is wrong, in words: what failed and since when, or which warnings (under 400 characters); null when all is well', resolve: (f) => f.message }),
  }),
});

export const ValidationWarningRef = builder.objectRef<ValidationWarning>('ValidationWarning').implement({
  description: 'A rule flagged this value; the data is still served',
  fields: (t) => ({
    workspaceId: t.int({ nullable: true, description: 'The workspace the warning is about; null when about no single one', resolve: (w) => w.workspaceId }),
    field: t.string({ nullable: true, description: 'The flagged field of the row (e.g. `leadsGenerated`); null when about the whole row', resolve: (w) => w.field }),
    rule: t.exposeString('rule', { description: 'Stable name of the rule, e.g. NO_KPI_TARGET, LEADS_ABOVE_1000, NEGATIVE_MARGIN, LOW_MARGIN, MTD_ABOVE_LAST_30, MAILBOX_PRICE_UNKNOWN' }),
    message: t.exposeString('message', { description: 'The warning in words, with the values that tripped it' }),
  }),
});

export const SourceErrorRef = builder.objectRef<SourceErrorInfo>('SourceError').implement({
  description: 'A workspace whose data could not be served: it is left out of the rows, the rest of the dashboard is answered',
  fields: (t) => ({
    workspaceId: t.int({ nullable: true, description: 'The workspace left out; null when the failure concerns no single one', resolve: (e) => e.workspaceId }),
    code: t.exposeString('code', { description: 'Stable code, e.g. TIMEOUT (the request deadline passed first), UPSTREAM_TIMEOUT, UPSTREAM_5XX, UPSTREAM_RATE_LIMITED, UPSTREAM_UNAUTHORIZED, UPSTREAM_INVALID_PAYLOAD, CIRCUIT_OPEN, STALE_TOO_OLD, NO_DATA' }),
    message: t.exposeString('message', { description: 'What failed, in words (no keys, no internals)' }),
    retryable: t.exposeBoolean('retryable', { description: 'Trying again later may succeed (a timeout, a 5xx, a rate limit); false for a refusal or bad data' }),
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
    freshness: t.field({ type: FreshnessRef, description: 'How fresh these numbers are and where they came from', resolve: (d) => d.freshness }),
    warnings: t.field({ type: [ValidationWarningRef], description: 'Rules these numbers tripped (served all the same)', resolve: (d) => d.warnings }),
  };
}

export function dashboardFields<T extends Judged & { errors: SourceErrorInfo[] }>(t: PothosSchemaTypes.ObjectFieldBuilder<Types, T>) {
  return {
    ...judgedFields(t),
    errors: t.field({ type: [SourceErrorRef], description: 'Workspaces left out of the rows, one error each (one workspace failing never fails the dashboard)', resolve: (d) => d.errors }),
  };
}

const FreshnessEventRef = builder.objectRef<FreshnessEvent>('FreshnessEvent').implement({
  description: 'The freshness of one (dashboard, workspace) as its row shows it, now or after a change',
  fields: (t) => ({
    dashboard: t.field({ type: DashboardKindEnum, description: 'The dashboard whose row this is', resolve: (e) => e.dashboard }),
    workspaceId: t.int({ nullable: true, description: 'The workspace whose row this is; null for instance-wide data', resolve: (e) => e.workspaceId }),
    resource: t.exposeString('resource', { description: 'The cache key whose change this event reports (for the first event: the oldest part)' }),
    freshness: t.field({ type: FreshnessRef, description: 'The row\'s freshness now', resolve: (e) => e.freshness }),
  }),
});

builder.subscriptionField('freshnessChanged', (t) =>
  t.field({
    type: FreshnessEventRef,
    description: 'The freshness of every (dashboard, workspace) followed, as its row shows it: the current value of each first, then an event whenever what it shows changes (state, origin, fetch time or message), coalesced. Following a dashboard keeps its data fresh. Any token: a CLIENT token hears about its own workspace only, and not about REVENUE',
    args: { dashboard: t.arg({ type: DashboardKindEnum, required: false, description: 'Only this dashboard (REVENUE: ADMIN tokens only); default every dashboard the token may read' }) },
    authScopes: (_root, args) => (args.dashboard ? { dashboard: args.dashboard } : true),
    subscribe: (_root, args, ctx) => freshnessChanges(ctx, args.dashboard),
    resolve: (event: FreshnessEvent) => event,
  }),
);
