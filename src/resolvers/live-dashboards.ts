/**
 * Live dashboard data: `kpiUpdated` and `volumeUpdated` send the whole dashboard (rows with their
 * freshness, totals, warnings, errors) at once, then again whenever what it shows changes (a
 * number, a row's state, origin, fetch time or message; not the seconds ticking on `ageSeconds`),
 * with the workspaces whose data changed, so a client can patch just those rows. Bursts (a refresh
 * lands one cache entry at a time) are folded into one update; ageing into STALE is noticed on
 * the clock tick, without any event.
 */
import { nextStateChangeAt, type DashboardKind, type Freshness } from '../sources/freshness';
import type { GatewayContext } from './context';
import { dashboardsTouched, liveStream } from './live';
import type { Repeater } from 'graphql-yoga';

/** Quiet period that folds a burst of entry changes into one update. */
const FOLD_MS = 100;

export interface DashboardUpdate<Shape> {
  changedWorkspaceIds: number[];
  dashboard: Shape;
}

interface LiveShape {
  freshness: Freshness;
  clients?: { freshness: Freshness }[];
}

/** What a subscriber sees of a dashboard, without what changes by the second. */
const fingerprint = (dashboard: unknown) =>
  JSON.stringify(dashboard, (key, value) => (key === 'ageSeconds' || key === 'nextRefreshAt' || key === 'refreshing' ? undefined : value));

export function liveDashboard<Shape extends LiveShape>(
  ctx: GatewayContext,
  kind: DashboardKind,
  compute: (ctx: GatewayContext) => Promise<Shape>,
): Repeater<DashboardUpdate<Shape>> {
  const changed = new Set<number>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let computing: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let shown: string | null = null;
  let recheckAt: number | null = null;

  /** When ageing alone next changes a state this dashboard shows. */
  function nextRecheck(dashboard: Shape): number | null {
    const ttlMs = ctx.services.freshness.dashboardTtlMs(kind);
    const now = ctx.services.clock.now();
    const times = [dashboard.freshness, ...(dashboard.clients ?? []).map((c) => c.freshness)]
      .map((f) => nextStateChangeAt(f.fetchedAt, ttlMs, now))
      .filter((t): t is number => t !== null);
    return times.length ? Math.min(...times) : null;
  }

  function update(push: (u: DashboardUpdate<Shape>) => void): void {
    if (computing) {
      again = true; // one more pass once this one is done: changes keep coming during a compute
      return;
    }
    computing = compute(ctx.renew())
      .then((dashboard) => {
        recheckAt = nextRecheck(dashboard);
        const seen = fingerprint(dashboard);
        if (stopped || seen === shown) return;
        shown = seen;
        const changedWorkspaceIds = [...changed].sort((a, b) => a - b);
        changed.clear();
        push({ changedWorkspaceIds, dashboard });
      })
      .catch(() => {}) // a failed recompute (e.g. registry unreachable) waits for the next change
      .finally(() => {
        computing = null;
        if (again && !stopped) {
          again = false;
          update(push);
        }
      });
  }

  return liveStream<DashboardUpdate<Shape>>(ctx, [kind], {
    async start(push) {
      update(push); // the first snapshot; changes meanwhile wait for it (`again`), so order holds
      await computing;
    },
    onEvent(event, push) {
      if (dashboardsTouched(event, [kind]).length === 0) return;
      if (event.workspaceId !== null) changed.add(event.workspaceId);
      clearTimeout(timer);
      timer = setTimeout(() => update(push), FOLD_MS);
    },
    onTick(push) {
      if (recheckAt !== null && recheckAt <= ctx.services.clock.now()) {
        recheckAt = null;
        update(push);
      }
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  });
}
