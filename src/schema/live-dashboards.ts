/**
 * Live dashboard data: `kpiUpdated` and `volumeUpdated` send the whole dashboard (rows with their
 * freshness, totals, warnings, errors) once at once, then again after every refresh or freshness
 * change of its data, with the workspaces that changed so a client can patch just those rows.
 * Bursts (a refresh lands one cache entry at a time) are folded into one update.
 */
import type { DashboardKind } from '../sources/freshness';
import type { Repeater } from 'graphql-yoga';
import { builder } from './builder';
import type { GatewayContext } from './context';
import { KpiDashboard, kpiDashboard } from './kpi';
import { dashboardsTouched, liveStream } from './live';
import { VolumeDashboard, volumeDashboard } from './volume';

/** Quiet period that folds a burst of entry changes into one update. */
const FOLD_MS = 100;

interface DashboardUpdate<Shape> {
  changedWorkspaceIds: number[];
  dashboard: Shape;
}

function liveDashboard<Shape>(ctx: GatewayContext, kind: DashboardKind, compute: (ctx: GatewayContext) => Promise<Shape>): Repeater<DashboardUpdate<Shape>> {
  const changed = new Set<number>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let computing: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  function update(push: (u: DashboardUpdate<Shape>) => void): void {
    if (computing) {
      again = true; // one more pass once this one is done: changes keep coming during a compute
      return;
    }
    const changedWorkspaceIds = [...changed].sort((a, b) => a - b);
    changed.clear();
    computing = compute(ctx.renew())
      .then((dashboard) => void (stopped || push({ changedWorkspaceIds, dashboard })))
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
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  });
}

type KpiShape = Awaited<ReturnType<typeof kpiDashboard>>;
type VolumeShape = Awaited<ReturnType<typeof volumeDashboard>>;

const KpiUpdate = builder.objectRef<DashboardUpdate<KpiShape>>('KpiUpdate').implement({
  fields: (t) => ({
    changedWorkspaceIds: t.intList({ description: 'Workspaces whose data or freshness changed since the last update (empty in the first)', resolve: (u) => u.changedWorkspaceIds }),
    kpi: t.field({ type: KpiDashboard, resolve: (u) => u.dashboard }),
  }),
});

const VolumeUpdate = builder.objectRef<DashboardUpdate<VolumeShape>>('VolumeUpdate').implement({
  fields: (t) => ({
    changedWorkspaceIds: t.intList({ description: 'Workspaces whose data or freshness changed since the last update (empty in the first)', resolve: (u) => u.changedWorkspaceIds }),
    volume: t.field({ type: VolumeDashboard, resolve: (u) => u.dashboard }),
  }),
});

builder.subscriptionFields((t) => ({
  kpiUpdated: t.field({
    type: KpiUpdate,
    description: 'The KPI dashboard now, then after every change to its data; following it keeps that data fresh',
    subscribe: (_root, _args, ctx) => liveDashboard(ctx, 'KPI', kpiDashboard),
    resolve: (update: DashboardUpdate<KpiShape>) => update,
  }),
  volumeUpdated: t.field({
    type: VolumeUpdate,
    description: 'The volume dashboard now, then after every change to its data; following it keeps that data fresh',
    subscribe: (_root, _args, ctx) => liveDashboard(ctx, 'VOLUME', volumeDashboard),
    resolve: (update: DashboardUpdate<VolumeShape>) => update,
  }),
}));
