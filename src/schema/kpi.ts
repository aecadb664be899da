/** KPI dashboard: interested leads against each client's monthly target. */
import { buildKpiDashboard, kpiTotals, type KpiClientRow, type KpiTotals } from '../resolvers/kpi';
import { kpiClientRowSchema } from '../resolvers/row-schemas';
import { kpiWarnings } from '../resolvers/warnings';
import type { Calendar } from '../resolvers/calendar';
import { statsPlan } from './plans';
import { builder } from './builder';
import type { GatewayContext } from './context';
import { expose } from './expose';
import { FreshnessRef, SourceErrorRef, ValidationWarningRef, type WarningShape } from './freshness';
import { finishClientDashboard, loadDashboard } from './dashboard';
import type { Freshness } from '../sources/freshness';
import type { SourceErrorInfo } from '../sources/errors';

const KpiStatus = builder.enumType('KpiStatus', {
  values: ['ABOVE', 'ON_TRACK', 'BELOW'] as const,
  description: 'ABOVE: leads >= target; ON_TRACK: projection >= target; else BELOW',
});

type KpiRow = KpiClientRow & { freshness: Freshness; warnings: WarningShape[] };
interface KpiShape { clients: KpiRow[]; totals: KpiTotals; freshness: Freshness; warnings: WarningShape[]; errors: SourceErrorInfo[] }

export const KpiClient = builder.objectRef<KpiRow>('KpiClient').implement({
  fields: (t) => ({
    workspaceId: t.exposeInt('workspaceId'),
    name: t.exposeString('name', { description: 'Display name, else the workspace name' }),
    ...expose(t, {
      leadsGenerated: ['Int', 'Interested leads this month so far'],
      monthlyKpi: ['Int', 'Monthly target of interested leads (0 = none)'],
      projectedReplies: ['Int', 'round(leads / daysElapsed * daysInMonth)'],
      currentProgress: ['Float', 'leadsGenerated / monthlyKpi (ratio, 0 when no target)'],
      repliesProgress: ['Float', 'projectedReplies / monthlyKpi (ratio, 0 when no target)'],
      positiveRepliesLast7Days: ['Int'],
      positiveRepliesLast14Days: ['Int'],
      positiveRepliesLast30Days: ['Int'],
      positiveRepliesLastMonth: ['Int', 'Interested leads in the previous calendar month'],
      weekOverWeekChange: ['Float?', '(last 7 - the 7 before) / the 7 before; null when the 7 before is 0'],
      emailsSent: ['Int', 'Emails sent this month so far'],
      bounced: ['Int', 'Bounces this month so far'],
    }),
    status: t.field({ type: KpiStatus, resolve: (r) => r.status }),
    freshness: t.field({ type: FreshnessRef, resolve: (r) => r.freshness }),
    warnings: t.field({ type: [ValidationWarningRef], resolve: (r) => r.warnings }),
  }),
});

const KpiTotalsRef = builder.objectRef<KpiTotals>('KpiTotals').implement({
  fields: (t) =>
    expose(t, {
      clients: ['Int', 'Client rows'],
      leadsGenerated: ['Int'],
      monthlyKpi: ['Int', 'Sum of targets'],
      projectedReplies: ['Int'],
      currentProgress: ['Float', 'Leads / targets over clients with a target (ratio)'],
      repliesProgress: ['Float', 'Projections / targets over clients with a target (ratio)'],
      positiveRepliesLast7Days: ['Int'],
      positiveRepliesLast14Days: ['Int'],
      positiveRepliesLast30Days: ['Int'],
      positiveRepliesLastMonth: ['Int'],
      emailsSent: ['Int'],
      bounced: ['Int'],
      clientsAbove: ['Int'],
      clientsOnTrack: ['Int'],
      clientsBelow: ['Int'],
    }),
});

export const KpiDashboard = builder.objectRef<KpiShape>('KpiDashboard').implement({
  fields: (t) => ({
    clients: t.field({ type: [KpiClient], resolve: (d) => d.clients }),
    totals: t.field({ type: KpiTotalsRef, resolve: (d) => d.totals }),
    freshness: t.field({ type: FreshnessRef, resolve: (d) => d.freshness }),
    warnings: t.field({ type: [ValidationWarningRef], resolve: (d) => d.warnings }),
    errors: t.field({ type: [SourceErrorRef], resolve: (d) => d.errors }),
  }),
});

/** The stats windows a KPI row needs. */
export const kpiPlan = (workspaceId: number, cal: Calendar) =>
  statsPlan(workspaceId, cal, ['mtd', 'last7', 'prev7', 'last14', 'last30', 'lastMonth'] as const);

/** The KPI dashboard as of `ctx`: the `kpi` query, and `kpiUpdated` after each refresh. */
export async function kpiDashboard(ctx: GatewayContext): Promise<KpiShape> {
  const dashboard = await loadDashboard(ctx, 'KPI', (client) => kpiPlan(client.workspaceId, ctx.calendar));
  const inputs = dashboard.loaded.map((l) => ({ client: l.client, stats: l.values }));
  return finishClientDashboard(
    ctx, 'KPI', dashboard, buildKpiDashboard(inputs, ctx.calendar),
    { rowSchema: kpiClientRowSchema, totalsOf: kpiTotals },
    (served) => kpiWarnings(served, inputs, ctx.calendar),
  );
}

builder.queryField('kpi', (t) => t.field({ type: KpiDashboard, resolve: (_root, _args, ctx) => kpiDashboard(ctx) }));
