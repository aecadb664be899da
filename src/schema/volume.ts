/** Volume dashboard: emails sent against each client's sending target, with pace and rank; its live variant. */
import { VOLUME_CLIENT_FIELDS, VOLUME_PACES, VOLUME_TOTALS_FIELDS, type VolumeTotals } from '../resolvers/arithmetic/volume';
import { liveDashboard, type DashboardUpdate } from '../resolvers/live-dashboards';
import type { Served } from '../resolvers/pipeline';
import { volumeDashboard, type VolumeDashboard } from '../resolvers/volume';
import type { VolumeClientRow } from '../resolvers/arithmetic/volume';
import { builder } from './builder';
import { exposeFields } from './expose';
import { dashboardFields, judgedFields } from './freshness';

const VolumePace = builder.enumType('VolumePace', {
  values: VOLUME_PACES,
  description: 'ON_PACE: projected >= 100 % of the monthly target; NEAR_TARGET: >= 80 %; else BEHIND',
});

const VolumeClient = builder.objectRef<Served<VolumeClientRow>>('VolumeClient').implement({
  fields: (t) => ({
    ...exposeFields(t, VOLUME_CLIENT_FIELDS),
    pace: t.field({ type: VolumePace, resolve: (r) => r.pace }),
    ...judgedFields(t),
  }),
});

const VolumeTotalsRef = builder.objectRef<VolumeTotals>('VolumeTotals').implement({ fields: (t) => exposeFields(t, VOLUME_TOTALS_FIELDS) });

const VolumeDashboardRef = builder.objectRef<VolumeDashboard>('VolumeDashboard').implement({
  fields: (t) => ({
    clients: t.field({ type: [VolumeClient], description: 'In rank order', resolve: (d) => d.clients }),
    totals: t.field({ type: VolumeTotalsRef, resolve: (d) => d.totals }),
    ...dashboardFields(t),
  }),
});

const VolumeUpdate = builder.objectRef<DashboardUpdate<VolumeDashboard>>('VolumeUpdate').implement({
  fields: (t) => ({
    changedWorkspaceIds: t.intList({ description: 'Workspaces whose data or freshness changed since the last update (empty in the first)', resolve: (u) => u.changedWorkspaceIds }),
    volume: t.field({ type: VolumeDashboardRef, resolve: (u) => u.dashboard }),
  }),
});

builder.queryField('volume', (t) => t.field({ type: VolumeDashboardRef, resolve: (_root, _args, ctx) => volumeDashboard(ctx) }));

builder.subscriptionField('volumeUpdated', (t) =>
  t.field({
    type: VolumeUpdate,
    description: 'The volume dashboard now, then after every change to its data; following it keeps that data fresh',
    subscribe: (_root, _args, ctx) => liveDashboard(ctx, 'VOLUME', volumeDashboard),
    resolve: (update: DashboardUpdate<VolumeDashboard>) => update,
  }),
);
