/** Volume dashboard: emails sent against each client's sending target, with pace and rank; its live variant. */
import { VOLUME_CLIENT_FIELDS, VOLUME_PACES, VOLUME_TOTALS_FIELDS, type VolumeTotals } from '../resolvers/arithmetic/volume';
import { liveDashboard, type DashboardUpdate } from '../resolvers/live-dashboards';
import type { Served } from '../resolvers/pipeline';
import { volumeDashboard, type VolumeDashboard } from '../resolvers/volume';
import type { VolumeClientRow } from '../resolvers/arithmetic/volume';
import { builder } from './builder';
import { described } from './enums';
import { exposeFields } from './expose';
import { dashboardFields, judgedFields } from './freshness';

const VolumePace = builder.enumType('VolumePace', {
  description: 'Where a client\'s sending is heading, by projectedPercentage (the month-end projection as a percent of the monthly target)',
  values: described<(typeof VOLUME_PACES)[number]>({
    ON_PACE: 'projectedPercentage >= 100: the target is reached by month end',
    NEAR_TARGET: 'projectedPercentage >= 80',
    BEHIND: 'projectedPercentage < 80',
  }),
});

const VolumeClient = builder.objectRef<Served<VolumeClientRow>>('VolumeClient').implement({
  description: 'One client on the volume dashboard: emails sent against its sending target (clients without a sending target are left out). Days are in BUSINESS_TIMEZONE; daysElapsed counts today',
  fields: (t) => ({
    ...exposeFields(t, VOLUME_CLIENT_FIELDS),
    pace: t.field({ type: VolumePace, description: 'ON_PACE, NEAR_TARGET or BEHIND, by projectedPercentage', resolve: (r) => r.pace }),
    ...judgedFields(t),
  }),
});

const VolumeTotalsRef = builder.objectRef<VolumeTotals>('VolumeTotals').implement({
  description: 'The volume dashboard\'s rows added up',
  fields: (t) => exposeFields(t, VOLUME_TOTALS_FIELDS),
});

const VolumeDashboardRef = builder.objectRef<VolumeDashboard>('VolumeDashboard').implement({
  description: 'Emails sent against each client\'s sending target this month, with pace and rank',
  fields: (t) => ({
    clients: t.field({ type: [VolumeClient], description: 'One row per active client with a sending target the token may see, in rank order', resolve: (d) => d.clients }),
    totals: t.field({ type: VolumeTotalsRef, description: 'The rows added up', resolve: (d) => d.totals }),
    ...dashboardFields(t),
  }),
});

const VolumeUpdate = builder.objectRef<DashboardUpdate<VolumeDashboard>>('VolumeUpdate').implement({
  description: 'The volume dashboard as it is now, and which workspaces changed since the last update',
  fields: (t) => ({
    changedWorkspaceIds: t.intList({ description: 'Workspaces whose data or freshness changed since the last update (empty in the first)', resolve: (u) => u.changedWorkspaceIds }),
    volume: t.field({ type: VolumeDashboardRef, description: 'The whole dashboard now', resolve: (u) => u.dashboard }),
  }),
});

builder.queryField('volume', (t) => t.field({
  type: VolumeDashboardRef,
  description: 'The volume dashboard: emails sent against each client\'s sending target, with pace and rank. Any token; a CLIENT token gets its own workspace\'s row only',
  resolve: (_root, _args, ctx) => volumeDashboard(ctx),
}));

builder.subscriptionField('volumeUpdated', (t) =>
  t.field({
    type: VolumeUpdate,
    description: 'The volume dashboard now, then after every change to its data; following it keeps that data fresh. Any token; a CLIENT token sees its own row only',
    subscribe: (_root, _args, ctx) => liveDashboard(ctx, 'VOLUME', volumeDashboard),
    resolve: (update: DashboardUpdate<VolumeDashboard>) => update,
  }),
);
