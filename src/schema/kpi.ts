/** KPI dashboard: interested leads against each client's monthly target; its stream and live variant. */
import { KPI_CLIENT_FIELDS, KPI_STATUSES, KPI_TOTALS_FIELDS, type KpiTotals } from '../resolvers/arithmetic/kpi';
import { kpiDashboard, kpiRowsAsReady, type KpiDashboard, type KpiRow } from '../resolvers/kpi';
import { liveDashboard, type DashboardUpdate } from '../resolvers/live-dashboards';
import { builder } from './builder';
import { exposeFields } from './expose';
import { dashboardFields, judgedFields } from './freshness';

const KpiStatus = builder.enumType('KpiStatus', {
  values: KPI_STATUSES,
  description: 'ABOVE: leads >= target; ON_TRACK: projection >= target; else BELOW',
});

export const KpiClient = builder.objectRef<KpiRow>('KpiClient').implement({
  fields: (t) => ({
    ...exposeFields(t, KPI_CLIENT_FIELDS),
    status: t.field({ type: KpiStatus, resolve: (r) => r.status }),
    ...judgedFields(t),
  }),
});

const KpiTotalsRef = builder.objectRef<KpiTotals>('KpiTotals').implement({ fields: (t) => exposeFields(t, KPI_TOTALS_FIELDS) });

export const KpiDashboardRef = builder.objectRef<KpiDashboard>('KpiDashboard').implement({
  fields: (t) => ({
    clients: t.field({ type: [KpiClient], resolve: (d) => d.clients }),
    totals: t.field({ type: KpiTotalsRef, resolve: (d) => d.totals }),
    ...dashboardFields(t),
  }),
});

const KpiUpdate = builder.objectRef<DashboardUpdate<KpiDashboard>>('KpiUpdate').implement({
  fields: (t) => ({
    changedWorkspaceIds: t.intList({ description: 'Workspaces whose data or freshness changed since the last update (empty in the first)', resolve: (u) => u.changedWorkspaceIds }),
    kpi: t.field({ type: KpiDashboardRef, resolve: (u) => u.dashboard }),
  }),
});

builder.queryFields((t) => ({
  kpi: t.field({ type: KpiDashboardRef, resolve: (_root, _args, ctx) => kpiDashboard(ctx) }),
  kpiStream: t.field({
    type: [KpiClient],
    description: 'KPI rows as their workspaces answer (unsorted), for `@stream`; totals, warnings and errors: `kpi` (under `@defer`)',
    resolve: (_root, _args, ctx) => kpiRowsAsReady(ctx),
  }),
}));

builder.subscriptionField('kpiUpdated', (t) =>
  t.field({
    type: KpiUpdate,
    description: 'The KPI dashboard now, then after every change to its data; following it keeps that data fresh',
    subscribe: (_root, _args, ctx) => liveDashboard(ctx, 'KPI', kpiDashboard),
    resolve: (update: DashboardUpdate<KpiDashboard>) => update,
  }),
);
