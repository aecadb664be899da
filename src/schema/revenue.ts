/** Revenue dashboard (ADMIN only): what each client earned the agency in a month, and at what cost. */
import {
  buildRevenueDashboard, isValidMonth, revenueClientRowSchema, revenueTotals, revenueWarnings, statsWindowForMonth,
  type RevenueClientRow, type RevenueTotals,
} from '../resolvers';
import type { Freshness } from '../sources/freshness';
import type { SourceErrorInfo } from '../sources/errors';
import { builder } from './builder';
import { expose } from './expose';
import { FreshnessRef, SourceErrorRef, ValidationWarningRef, type WarningShape } from './freshness';
import { finishClientDashboard, loadDashboard } from './dashboard';
import { loadMailboxes } from './infrastructure';
import { badInput } from './errors';

export const BillingType = builder.enumType('BillingType', { values: ['PER_LEAD', 'RETAINER'] as const });
const CostSource = builder.enumType('CostSource', {
  values: ['MANUAL', 'MAILBOXES', 'NONE'] as const,
  description: 'MANUAL: a cost recorded for the month; MAILBOXES: connected mailboxes\' monthly price; NONE: unknown',
});

type RevenueRow = RevenueClientRow & { freshness: Freshness; warnings: WarningShape[] };
interface RevenueShape { month: string; clients: RevenueRow[]; totals: RevenueTotals; freshness: Freshness; warnings: WarningShape[]; errors: SourceErrorInfo[] }

const RevenueClient = builder.objectRef<RevenueRow>('RevenueClient').implement({
  fields: (t) => ({
    workspaceId: t.exposeInt('workspaceId'),
    name: t.exposeString('name'),
    billingType: t.field({ type: BillingType, resolve: (r) => r.billingType }),
    costSource: t.field({ type: CostSource, resolve: (r) => r.costSource }),
    ...expose(t, {
      leads: ['Int', 'Interested leads in the month'],
      revenue: ['Float', '$: retainer, or leads * price per lead'],
      costs: ['Float', '$: manual cost for the month, else connected mailboxes\' monthly price'],
      profit: ['Float', '$: revenue - costs'],
      profitMargin: ['Float?', 'profit / revenue * 100 (percent); null when revenue is 0'],
      kpiProgress: ['Float', 'leads / monthly KPI (ratio; 0 when no target)'],
      monthlyKpi: ['Int'],
      possibleRevenue: ['Float', '$ at full KPI (KPI * price, or the retainer)'],
      projectedRevenue: ['Float', '$ at the current pace (this month), else the revenue'],
      rank: ['Int', 'By revenue, 1 = highest'],
    }),
    freshness: t.field({ type: FreshnessRef, resolve: (r) => r.freshness }),
    warnings: t.field({ type: [ValidationWarningRef], resolve: (r) => r.warnings }),
  }),
});

const RevenueTotalsRef = builder.objectRef<RevenueTotals>('RevenueTotals').implement({
  fields: (t) =>
    expose(t, {
      clients: ['Int'],
      leads: ['Int'],
      revenue: ['Float'],
      costs: ['Float'],
      profit: ['Float'],
      profitMargin: ['Float?', 'Percent; null when revenue is 0'],
      projectedRevenue: ['Float', '$ this month at the current pace (past months: the revenue)'],
      possibleRevenue: ['Float', '$ at full KPI'],
      revenueGap: ['Float', 'possibleRevenue - revenue'],
    }),
});

const RevenueDashboard = builder.objectRef<RevenueShape>('RevenueDashboard').implement({
  fields: (t) => ({
    month: t.exposeString('month'),
    clients: t.field({ type: [RevenueClient], description: 'In rank order', resolve: (d) => d.clients }),
    totals: t.field({ type: RevenueTotalsRef, resolve: (d) => d.totals }),
    freshness: t.field({ type: FreshnessRef, resolve: (d) => d.freshness }),
    warnings: t.field({ type: [ValidationWarningRef], resolve: (d) => d.warnings }),
    errors: t.field({ type: [SourceErrorRef], resolve: (d) => d.errors }),
  }),
});

builder.queryField('revenue', (t) =>
  t.field({
    type: RevenueDashboard,
    authScopes: { admin: true },
    args: { month: t.arg.string({ required: false, description: '"YYYY-MM"; default this month' }) },
    resolve: async (_root, args, ctx) => {
      const cal = ctx.calendar;
      const month = args.month ?? cal.month;
      if (!isValidMonth(month)) badInput('month', `wants YYYY-MM with a month 01-12, got ${JSON.stringify(month)}`);
      const window = statsWindowForMonth(month, cal);
      if (!window) badInput('month', `${month} has not begun yet (this month is ${cal.month})`);
      const [dashboard, mailboxes, manualCosts] = await Promise.all([
        loadDashboard(ctx, 'REVENUE', (client) => ({
          stats: { kind: 'stats', workspaceId: client.workspaceId, start: window.start, end: window.end } as const,
        })),
        loadMailboxes(ctx, 'REVENUE'),
        ctx.services.registry.monthlyCosts(month),
      ]);
      const mailboxCost = mailboxes.aggregate.costByWorkspace;
      const withMailboxes = new Set(mailboxes.dashboard.loaded.map((l) => l.client.workspaceId));
      const manual = new Map(manualCosts.map((c) => [c.workspaceId, c.amount]));
      const inputs = dashboard.loaded.map(({ client, values }) => ({
        client,
        stats: values.stats,
        mailboxCost: withMailboxes.has(client.workspaceId) ? (mailboxCost.get(client.workspaceId) ?? 0) : null,
        manualCost: manual.get(client.workspaceId) ?? null,
      }));
      const finished = finishClientDashboard(
        ctx, 'REVENUE', dashboard, buildRevenueDashboard(inputs, month, cal),
        { rowSchema: revenueClientRowSchema, totalsOf: revenueTotals },
        (served) => revenueWarnings({ month, ...served }),
      );
      return { month, ...finished };
    },
  }),
);
