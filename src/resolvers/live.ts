/**
 * What every subscription shares: which dashboards a principal may follow, keeping the data behind
 * them fresh while it is followed (a subscriber counts as a reader, so refresh-ahead keeps its
 * entries fresh), a clock tick for values that age without any event, and a stream that lets go
 * of everything the moment the client leaves.
 *
 * The stream is a Repeater, not an async generator, on purpose: a generator waiting for its next
 * event cannot run its `finally` until that event comes, so an idle subscriber that disconnects
 * would keep its listener and watched keys until the next refresh. A Repeater stops at once.
 */
import { Repeater, SlidingBuffer } from 'graphql-yoga';
import { maySeeWorkspace, mayReadDashboard } from '../access';
import { DASHBOARDS, DASHBOARD_RESOURCES, type DashboardKind } from '../sources/freshness';
import { resourceKey, type Resource } from '../sources/resources';
import type { FreshnessPayload, GatewayContext } from './context';
import { dashboardResources } from './plans';

/** How often a long subscription re-reads its clients and calendar (a new day has new windows). */
const REWATCH_EVERY_MS = 60_000;
/** A subscriber that reads slower than events come keeps the newest ones. */
const BUFFERED_EVENTS = 256;

/** The dashboards this principal may follow: the one asked for (the schema checked it may), or all it may read. */
export function followedDashboards(ctx: GatewayContext, asked: DashboardKind | null | undefined): DashboardKind[] {
  return asked ? [asked] : DASHBOARDS.filter((d) => mayReadDashboard(ctx.principal, d));
}

/** The dashboards that read the changed entry's kind, among those followed. */
export function dashboardsTouched(event: Pick<FreshnessPayload, 'kind'>, followed: readonly DashboardKind[]): DashboardKind[] {
  return followed.filter((d) => DASHBOARD_RESOURCES[d].includes(event.kind));
}

/** Watches the resources behind `dashboards` for the principal's visible clients, today's windows. */
function createWatchSet(ctx: GatewayContext, dashboards: readonly DashboardKind[]) {
  const watched = new Map<string, Resource>();
  let checkedAt = -Infinity;
  let released = false;

  async function wanted(): Promise<Map<string, Resource>> {
    const now = ctx.renew();
    const clients = await now.data.clients();
    const out = new Map<string, Resource>();
    for (const dashboard of dashboards) {
      for (const client of clients) {
        for (const resource of dashboardResources(dashboard, client.workspaceId, now.calendar)) out.set(resourceKey(resource), resource);
      }
    }
    return out;
  }

  return {
    /** Brings the watched set up to date (at most once a minute unless forced). */
    async update(force = false): Promise<void> {
      const now = ctx.services.clock.now();
      if (!force && now - checkedAt < REWATCH_EVERY_MS) return;
      checkedAt = now;
      const next = await wanted();
      if (released) return; // the subscriber left while we looked
      for (const [key, resource] of next) if (!watched.has(key)) ctx.services.cache.watch(resource);
      for (const [key, resource] of watched) if (!next.has(key)) ctx.services.cache.unwatch(resource);
      watched.clear();
      for (const [key, resource] of next) watched.set(key, resource);
    },
    release(): void {
      released = true;
      for (const resource of watched.values()) ctx.services.cache.unwatch(resource);
      watched.clear();
    },
  };
}

export interface LiveHandler<Out> {
  /** Called once the watches are in place, e.g. to push the current value. */
  start?(push: (value: Out) => void): Promise<void> | void;
  /** Turns one change of a cache entry the principal may see into what the subscriber receives. */
  onEvent(event: FreshnessPayload, push: (value: Out) => void): void;
  /** Called every `services.tickMs` while subscribed: values age without any event. */
  onTick?(push: (value: Out) => void): void;
  /** Called when the subscriber leaves (clear timers here). */
  stop?(): void;
}

/**
 * Cache changes this principal may hear, turned into subscriber values by `live`, while the
 * dashboards' data is watched. Everything (listener, watches, the tick, the handler's timers) is
 * released as soon as the subscriber leaves.
 */
export function liveStream<Out>(ctx: GatewayContext, dashboards: readonly DashboardKind[], live: LiveHandler<Out>): Repeater<Out> {
  return new Repeater<Out>(async (push, stop) => {
    const source = ctx.services.events.subscribe('freshness');
    const watches = createWatchSet(ctx, dashboards);
    const send = (value: Out) => void push(value).catch(() => {});
    let tick: ReturnType<typeof setInterval> | undefined;
    try {
      await watches.update(true);
      // Listen before `start` reads anything, so no change between the two goes unheard.
      const pump = (async () => {
        for await (const event of source) {
          if (!maySeeWorkspace(ctx.principal, event.workspaceId)) continue;
          live.onEvent(event, send);
          void watches.update().catch(() => {});
        }
      })();
      pump.catch((err) => stop(err));
      await live.start?.(send);
      if (live.onTick) {
        tick = setInterval(() => live.onTick!(send), ctx.services.tickMs);
        tick.unref?.();
      }
      await stop;
    } catch (err) {
      stop(err);
    } finally {
      clearInterval(tick);
      live.stop?.();
      // Watches first: once the listener is gone (what leak checks count), nothing else is held.
      watches.release();
      await source.return?.();
    }
  }, new SlidingBuffer(BUFFERED_EVENTS));
}
