/**
 * Subscriptions: `freshnessChanged` (a refresh landed, an entry turned STALE or VERY_STALE, a
 * workspace fell back to stale data or errored) and `healthChanged`. Same auth and scoping as
 * queries: a CLIENT token hears only about its own workspace and never about revenue. Following a
 * dashboard keeps its data fresh (src/schema/live.ts). Live dashboard data: live-dashboards.ts.
 */
import { Repeater } from 'graphql-yoga';
import type { DashboardKind } from '../sources/freshness';
import { freshnessOf, type Freshness } from '../sources/freshness';
import { builder } from './builder';
import { DashboardKindEnum } from './cache';
import { FreshnessRef } from './freshness';
import { HealthRef, type HealthShape } from './health';
import { dashboardsTouched, followedDashboards, liveStream } from './live';

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

builder.subscriptionField('freshnessChanged', (t) =>
  t.field({
    type: FreshnessEvent,
    description: 'One event per dashboard and cache entry whose freshness changed; following a dashboard keeps its data fresh',
    args: { dashboard: t.arg({ type: DashboardKindEnum, required: false }) },
    subscribe: (_root, args, ctx) => {
      const followed = followedDashboards(ctx, args.dashboard);
      return liveStream<FreshnessEventShape>(ctx, followed, {
        onEvent(event, push) {
          const freshness = freshnessOf([event.meta], ctx.services.clock.now());
          for (const dashboard of dashboardsTouched(event, followed)) {
            push({ dashboard, workspaceId: event.workspaceId, resource: event.key, freshness });
          }
        },
      });
    },
    resolve: (event: FreshnessEventShape) => event,
  }),
);

builder.subscriptionField('healthChanged', (t) =>
  t.field({
    type: HealthRef,
    // A Repeater (see live.ts): a subscriber that leaves is let go at once, not at the next change.
    subscribe: (_root, _args, ctx) =>
      new Repeater<HealthShape>(async (push, stop) => {
        const changes = ctx.services.events.subscribe('health');
        const pump = (async () => {
          for await (const _change of changes) await push({ report: await ctx.services.health(), breakers: ctx.services.breakers() });
        })();
        pump.catch((err) => stop(err));
        await stop;
        await changes.return?.();
      }),
    resolve: (health) => health,
  }),
);
