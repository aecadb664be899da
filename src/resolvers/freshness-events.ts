/**
 * `freshnessChanged`: the freshness of each (dashboard, workspace) a subscriber follows, as the
 * dashboard's row for that workspace would show it: the current value of every one first, then
 * an event only when what it shows changes (state, origin, fetch time or message), coalesced over
 * `COALESCE_MS`, whether the change came from a refresh, a webhook, a failure, or ageing alone.
 */
import type { EntryMeta } from '../sources/cache/types';
import { calendarFor } from './arithmetic/calendar';
import { freshnessOf, nextStateChangeAt, type DashboardKind, type Freshness } from '../sources/freshness';
import { resourceKey } from '../sources/resources';
import type { FreshnessPayload, GatewayContext } from './context';
import { dashboardsTouched, followedDashboards, liveStream } from './live';
import { dashboardResources } from './plans';

export interface FreshnessEvent {
  dashboard: DashboardKind;
  workspaceId: number | null;
  /** The cache key whose change this event reports (the oldest part, for the first value). */
  resource: string;
  freshness: Freshness;
}

/** Changes within this quiet period reach the subscriber as one event per (dashboard, workspace). */
const COALESCE_MS = 100;

interface Followed {
  dashboard: DashboardKind;
  workspaceId: number;
  keys: string[];
  /** What the subscriber last saw: state, origin, fetchedAt and message. */
  seen: string | null;
  /** When ageing alone changes its state next. */
  recheckAt: number | null;
  lastKey: string;
}

const seenOf = (f: Freshness) => `${f.state}|${f.origin}|${f.fetchedAt}|${f.message}`;

/** A part as a later reader sees it: a value fetched for someone else is now served from cache. */
const asCached = (meta: EntryMeta): EntryMeta => (meta.origin === 'UPSTREAM' ? { ...meta, origin: 'CACHE' } : meta);

export function freshnessChanges(ctx: GatewayContext, asked: DashboardKind | null | undefined) {
  const dashboards = followedDashboards(ctx, asked);
  const metas = new Map<string, EntryMeta>();
  const followed = new Map<string, Followed>();
  const dirty = new Set<Followed>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const idOf = (dashboard: DashboardKind, workspaceId: number) => `${dashboard}:${workspaceId}`;

  /** The pair, with the keys its row reads today (windows move at midnight in BUSINESS_TIMEZONE). */
  function follow(dashboard: DashboardKind, workspaceId: number): Followed {
    const id = idOf(dashboard, workspaceId);
    const calendar = calendarFor(ctx.services.clock.now(), ctx.services.config.timeZone);
    const keys = dashboardResources(dashboard, workspaceId, calendar).map(resourceKey);
    const known = followed.get(id);
    if (known) return Object.assign(known, { keys });
    const fresh: Followed = { dashboard, workspaceId, keys, seen: null, recheckAt: null, lastKey: keys[0] };
    followed.set(id, fresh);
    return fresh;
  }

  /** Pushes the pair when what it shows changed; remembers when ageing will change it next. */
  function emit(f: Followed, push: (e: FreshnessEvent) => void): void {
    const { freshness: policy, clock } = ctx.services;
    const now = clock.now();
    const parts = policy.partsOf(f.dashboard, f.keys.flatMap((k) => metas.get(k) ?? []));
    const freshness = freshnessOf(parts, now);
    f.recheckAt = nextStateChangeAt(freshness.fetchedAt, policy.dashboardTtlMs(f.dashboard), now);
    const seen = seenOf(freshness);
    if (seen === f.seen) return;
    f.seen = seen;
    push({ dashboard: f.dashboard, workspaceId: f.workspaceId, resource: f.lastKey, freshness });
  }

  function flush(push: (e: FreshnessEvent) => void): void {
    timer = undefined;
    const due = [...dirty];
    dirty.clear();
    for (const f of due) emit(f, push);
    for (const f of due) for (const key of f.keys) if (metas.has(key)) metas.set(key, asCached(metas.get(key)!));
  }

  return liveStream<FreshnessEvent>(ctx, dashboards, {
    async start(push) {
      const now = ctx.renew();
      const clients = await now.data.clients();
      await Promise.all(clients.flatMap((client) => dashboards.map(async (dashboard) => {
        const f = follow(dashboard, client.workspaceId);
        const reads = await Promise.all(dashboardResources(dashboard, client.workspaceId, now.calendar).map((r) => now.data.read(r, dashboard)));
        for (const read of reads) if (!metas.has(read.meta.key)) metas.set(read.meta.key, read.meta);
        const oldest = reads.reduce((a, b) => ((b.meta.fetchedAt ?? Infinity) < (a.meta.fetchedAt ?? Infinity) ? b : a), reads[0]);
        f.lastKey = oldest?.meta.key ?? f.lastKey;
        dirty.add(f);
      })));
      flush(push);
    },
    onEvent(event: FreshnessPayload, push) {
      if (event.workspaceId === null) return;
      metas.set(event.key, event.meta);
      for (const dashboard of dashboardsTouched(event, dashboards)) {
        const f = follow(dashboard, event.workspaceId);
        if (!f.keys.includes(event.key)) continue;
        f.lastKey = event.key;
        dirty.add(f);
      }
      if (dirty.size > 0 && !timer) timer = setTimeout(() => flush(push), COALESCE_MS);
    },
    onTick(push) {
      const now = ctx.services.clock.now();
      for (const f of followed.values()) if (f.recheckAt !== null && f.recheckAt <= now) dirty.add(f);
      if (dirty.size > 0 && !timer) flush(push);
    },
    stop() {
      clearTimeout(timer);
    },
  });
}
