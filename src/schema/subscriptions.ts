/**
 * Subscriptions: `freshnessChanged` (a refresh landed, an entry turned stale, a workspace fell
 * back to stale data or errored) and `healthChanged`. Same auth and scoping as queries: a CLIENT
 * token hears only about its own workspace and never about revenue.
 */
import type { DashboardKind } from '../config';
import { freshnessOf, type Freshness } from '../sources/freshness';
import type { ResourceKind } from '../sources/resources';
import { builder } from './builder';
import { DashboardKindEnum, dashboardKinds } from './cache';
import { FreshnessRef } from './freshness';
import { HealthRef } from './health';

interface FreshnessEventShape {
  dashboard: DashboardKind;
  workspaceId: number | null;
  resource: string;
  freshness: Freshness;
}

const FreshnessEvent = builder.objectRef<FreshnessEventShape>('FreshnessEvent').implement({
  fields: (t) => ({
    dashboard: t.field({ type: DashboardKindEnum, resolve: (e) => e.dashboard }),
    workspaceId: t.int({ nullable: true, resolve: (e) => e.workspaceId }),
    resource: t.exposeString('resource', { description: 'The cache key that changed' }),
    freshness: t.field({ type: FreshnessRef, resolve: (e) => e.freshness }),
  }),
});

const DASHBOARDS = Object.keys(dashboardKinds) as DashboardKind[];
const dashboardsReading = (kind: ResourceKind) => DASHBOARDS.filter((d) => dashboardKinds[d].includes(kind));

builder.subscriptionField('freshnessChanged', (t) =>
  t.field({
    type: FreshnessEvent,
    args: { dashboard: t.arg({ type: DashboardKindEnum, required: false }) },
    subscribe: async function* freshnessEvents(_root, args, ctx) {
      const own = ctx.principal.role === 'CLIENT' ? ctx.principal.workspaceId : null;
      for await (const event of ctx.services.events.subscribe('freshness')) {
        if (own !== null && event.workspaceId !== own) continue;
        for (const dashboard of dashboardsReading(event.kind)) {
          if (args.dashboard && dashboard !== args.dashboard) continue;
          if (dashboard === 'REVENUE' && ctx.principal.role !== 'ADMIN') continue;
          yield { dashboard, workspaceId: event.workspaceId, resource: event.key, freshness: freshnessOf([event.meta], ctx.services.clock.now()) };
        }
      }
    },
    resolve: (event: FreshnessEventShape) => event,
  }),
);

builder.subscriptionField('healthChanged', (t) =>
  t.field({
    type: HealthRef,
    subscribe: async function* healthEvents(_root, _args, ctx) {
      for await (const _change of ctx.services.events.subscribe('health')) {
        yield { report: await ctx.services.health(), breakers: ctx.services.breakers() };
      }
    },
    resolve: (health) => health,
  }),
);
