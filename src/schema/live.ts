/**
 * What every subscription shares: which dashboards a principal may follow, keeping the data behind
 * them fresh while it is followed (a subscriber counts as a reader, so refresh-ahead keeps its
 * entries fresh), and a stream that lets go of everything the moment the client leaves.
 *
 * The stream is a Repeater, not an async generator, on purpose: a generator waiting for its next
 * event cannot run its `finally` until that event comes, so an idle subscriber that disconnects
 * would keep its listener and watched keys until the next refresh. A Repeater stops at once.
 */
import { Repeater, SlidingBuffer } from 'graphql-yoga';
import type { DashboardKind } from '../sources/freshness';
import { resourceKey, type Resource } from '../sources/resources';
import type { FreshnessPayload } from '../server/events';
import { dashboardKinds, dashboardResources } from './cache';
import type { GatewayContext } from './context';
import { forbidden } from './errors';

const DASHBOARDS = Object.keys(dashboardKinds) as DashboardKind[];
/** How often a long subscription re-reads its clients and calendar (a new day has new windows). */
const REWATCH_EVERY_MS = 60_000;
/** A subscriber that reads slower than events come keeps the newest ones. */
const BUFFERED_EVENTS = 256;

/** The dashboards this principal may follow: the one asked for, or all it may read. */
export function followedDashboards(ctx: GatewayContext, asked: DashboardKind | null | undefined): DashboardKind[] {
  const allowed = DASHBOARDS.filter((d) => d !== 'REVENUE' || ctx.principal.role === 'ADMIN');
  if (!asked) return allowed;
  if (!allowed.includes(asked)) forbidden('Revenue is for ADMIN tokens only');
  return [asked];
}

/** An event about a workspace this principal may see (a CLIENT token: only its own). */
export function mayHear(ctx: GatewayContext, event: FreshnessPayload): boolean {
  return ctx.principal.role !== 'CLIENT' || event.workspaceId === ctx.principal.workspaceId;
}

/** The dashboards that read the changed entry's kind, among those followed. */
export function dashboardsTouched(event: FreshnessPayload, followed: readonly DashboardKind[]): DashboardKind[] {
  return followed.filter((d) => dashboardKinds[d].includes(event.kind));
}

/** Watches the resources behind `dashboards` for the principal's visible clients, today's windows. */
function createWatchSet(ctx: GatewayContext, dashboards: readonly DashboardKind[]) {
  const watched = new Map<string, { resource: Resource; ttlMs: number }>();
  let checkedAt = -Infinity;
  let released = false;

  async function wanted(): Promise<Map<string, { resource: Resource; ttlMs: number }>> {
    const now = ctx.renew();
    const clients = await now.data.clients();
    const out = new Map<string, { resource: Resource; ttlMs: number }>();
    for (const dashboard of dashboards) {
      const ttlMs = now.ttlMs(dashboard);
      for (const client of clients) {
        for (const resource of dashboardResources(dashboard, client.workspaceId, now.calendar)) {
          const key = resourceKey(resource);
          const seen = out.get(key);
          if (!seen || ttlMs < seen.ttlMs) out.set(key, { resource, ttlMs });
        }
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
      for (const [key, w] of next) if (!watched.has(key)) ctx.services.cache.watch(w.resource, w.ttlMs);
      for (const [key, w] of watched) if (!next.has(key)) ctx.services.cache.unwatch(w.resource);
      watched.clear();
      for (const [key, w] of next) watched.set(key, w);
    },
    release(): void {
      released = true;
      for (const w of watched.values()) ctx.services.cache.unwatch(w.resource);
      watched.clear();
    },
  };
}

export interface LiveStream<Out> {
  /** Called once the watches are in place, e.g. to push a first snapshot. */
  start?(push: (value: Out) => void): Promise<void> | void;
  /** Turns one freshness event into what the subscriber receives (nothing, one or several). */
  onEvent(event: FreshnessPayload, push: (value: Out) => void): void;
  /** Called when the subscriber leaves (clear timers here). */
  stop?(): void;
}

/**
 * Freshness events this principal may hear, turned into subscriber values by `live`, while the
 * dashboards' data is watched. Everything (listener, watches, the handler's timers) is released
 * as soon as the subscriber leaves.
 */
export function liveStream<Out>(ctx: GatewayContext, dashboards: readonly DashboardKind[], live: LiveStream<Out>): Repeater<Out> {
  return new Repeater<Out>(async (push, stop) => {
    const source = ctx.services.events.subscribe('freshness');
    const watches = createWatchSet(ctx, dashboards);
    const send = (value: Out) => void push(value).catch(() => {});
    try {
      await watches.update(true);
      // Listen before `start` reads anything, so no change between the two goes unheard.
      const pump = (async () => {
        for await (const event of source) {
          if (!mayHear(ctx, event)) continue;
          live.onEvent(event, send);
          void watches.update().catch(() => {});
        }
      })();
      pump.catch((err) => stop(err));
      await live.start?.(send);
      await stop;
    } catch (err) {
      stop(err);
    } finally {
      live.stop?.();
      await source.return?.();
      watches.release();
    }
  }, new SlidingBuffer(BUFFERED_EVENTS));
}
