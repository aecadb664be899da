/** Revenue dashboard (ADMIN only): what each client earned the agency in a month, and at what cost; manual monthly costs. */
import { COST_SOURCES, REVENUE_CLIENT_FIELDS, REVENUE_TOTALS_FIELDS, type RevenueClientRow, type RevenueTotals } from '../resolvers/arithmetic/revenue';
import type { Served } from '../resolvers/pipeline';
import { setMonthlyCost } from '../resolvers/registry';
import { revenueDashboard, type RevenueDashboard } from '../resolvers/revenue';
import type { ManualCost } from '../sources/registry/types';
import { builder } from './builder';
import { BillingType } from './client';
import { exposeFields } from './expose';
import { dashboardFields, judgedFields } from './freshness';

const CostSource = builder.enumType('CostSource', {
  values: COST_SOURCES,
  description: 'MANUAL: a cost recorded for the month; MAILBOXES: connected mailboxes\' monthly price; NONE: unknown',
});

const RevenueClient = builder.objectRef<Served<RevenueClientRow>>('RevenueClient').implement({
  fields: (t) => ({
    ...exposeFields(t, REVENUE_CLIENT_FIELDS),
    billingType: t.field({ type: BillingType, resolve: (r) => r.billingType }),
    costSource: t.field({ type: CostSource, resolve: (r) => r.costSource }),
    ...judgedFields(t),
  }),
});

const RevenueTotalsRef = builder.objectRef<RevenueTotals>('RevenueTotals').implement({ fields: (t) => exposeFields(t, REVENUE_TOTALS_FIELDS) });

const RevenueDashboardRef = builder.objectRef<RevenueDashboard>('RevenueDashboard').implement({
  fields: (t) => ({
    month: t.exposeString('month'),
    clients: t.field({ type: [RevenueClient], description: 'In rank order', resolve: (d) => d.clients }),
    totals: t.field({ type: RevenueTotalsRef, resolve: (d) => d.totals }),
    ...dashboardFields(t),
  }),
});

const ManualCostRef = builder.objectRef<ManualCost>('ManualCost').implement({
  fields: (t) => ({
    workspaceId: t.exposeInt('workspaceId'),
    month: t.exposeString('month'),
    amount: t.exposeFloat('amount', { description: '$ for the month' }),
    note: t.exposeString('note', { nullable: true }),
  }),
});

builder.queryField('revenue', (t) =>
  t.field({
    type: RevenueDashboardRef,
    authScopes: { dashboard: 'REVENUE' },
    args: { month: t.arg.string({ required: false, description: '"YYYY-MM"; default this month' }) },
    resolve: (_root, args, ctx) => revenueDashboard(ctx, args.month),
  }),
);

builder.mutationField('setMonthlyCost', (t) =>
  t.field({
    type: ManualCostRef,
    authScopes: { admin: true },
    description: 'Record a manual cost for a client and month; it replaces the mailbox cost in revenue',
    args: { workspaceId: t.arg.int({ required: true }), month: t.arg.string({ required: true }), amount: t.arg.float({ required: true }), note: t.arg.string({ required: false }) },
    resolve: (_r, args, ctx) => setMonthlyCost(ctx, args),
  }),
);
