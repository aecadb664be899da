/** KPI dashboard: interested leads against each client's monthly target; its stream and live variant. */
import { KPI_CLIENT_FIELDS, KPI_STATUSES, KPI_TOTALS_FIELDS, type KpiTotals } from '../resolvers/arithmetic/kpi';
import { kpiDashboard, kpiRowsAsReady, type KpiDashboard, type KpiRow } from '../resolvers/kpi';
import { liveDashboard, type DashboardUpdate } from '../resolvers/live-dashboards';
import { builder } from './builder';
import { described } from './enums';
import { exposeFields } from './expose';
import { dashboardFields, judgedFields } from './freshness';

const KpiStatus = builder.enumType('KpiStatus', {
  description: 'Where a client stands against its monthly KPI (a client without a target is ABOVE, and warned NO_KPI_TARGET)',
  values: described<(typeof KPI_STATUSES)[number]>({
    ABOVE: 'leadsGenerated >= monthlyKpi: the target is met',
    ON_TRACK: 'Not met yet, but projectedReplies >= monthlyKpi: met by month end at this pace',
    BELOW: 'projectedReplies < monthlyKpi: missed at this pace',
  }),
});

export const KpiClient = builder.objectRef<KpiRow>('KpiClient').implement({
  description: 'One client on the KPI dashboard: interested leads ("positive replies") against its monthly target. Days are in BUSINESS_TIMEZONE; daysElapsed counts today',
  fields: (t) => ({
    ...exposeFields(t, KPI_CLIENT_FIELDS),
    status: t.field({ type: KpiStatus, description: 'ABOVE, ON_TRACK or BELOW the monthly KPI', resolve: (r) => r.status }),
    ...judgedFields(t),
  }),
});

const KpiTotalsRef = builder.objectRef<KpiTotals>('KpiTotals').implement({
  description: 'The KPI dashboard\'s rows added up',
  fields: (t) => exposeFields(t, KPI_TOTALS_FIELDS),
});

export const KpiDashboardRef = builder.objectRef<KpiDashboard>('KpiDashboard').implement({
  description: 'Interested leads against each client\'s monthly target, this month so far',
  fields: (t) => ({
    clients: t.field({ type: [KpiClient], description: 'One row per active client the token may see', resolve: (d) => d.clients }),
    totals: t.field({ type: KpiTotalsRef, description: 'The rows added up', resolve: (d) => d.totals }),
    ...dashboardFields(t),
  }),
});

const KpiUpdate = builder.objectRef<DashboardUpdate<KpiDashboard>>('KpiUpdate').implement({
  description: 'The KPI dashboard as it is now, and which workspaces changed since the last update',
  fields: (t) => ({
    changedWorkspaceIds: t.intList({ description: 'Workspaces whose data or freshness changed since the last update (empty in the first)', resolve: (u) => u.changedWorkspaceIds }),
    kpi: t.field({ type: KpiDashboardRef, description: 'The whole dashboard now', resolve: (u) => u.dashboard }),
  }),
});

builder.queryFields((t) => ({
  kpi: t.field({
    type: KpiDashboardRef,
    description: 'The KPI dashboard: interested leads against each client\'s monthly target. Any token; a CLIENT token gets its own workspace\'s row only',
    resolve: (_root, _args, ctx) => kpiDashboard(ctx),
  }),
  kpiStream: t.field({
    type: [KpiClient],
    description: 'The KPI rows as their workspaces answer (unsorted), for `@stream`: a cold dashboard shows one client at a time; totals, warnings and errors: `kpi` (under `@defer`). Any token; a CLIENT token gets its own row only',
    resolve: (_root, _args, ctx) => kpiRowsAsReady(ctx),
  }),
}));

builder.subscriptionField('kpiUpdated', (t) =>
  t.field({
    type: KpiUpdate,
    description: 'The KPI dashboard now, then after every change to its data; following it keeps that data fresh. Any token; a CLIENT token sees its own row only',
    subscribe: (_root, _args, ctx) => liveDashboard(ctx, 'KPI', kpiDashboard),
    resolve: (update: DashboardUpdate<KpiDashboard>) => update,
  }),
);
