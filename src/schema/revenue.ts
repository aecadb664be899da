/** Revenue dashboard (ADMIN only): what each client earned the agency in a month, and at what cost; manual monthly costs. */
import { COST_SOURCES, REVENUE_CLIENT_FIELDS, REVENUE_TOTALS_FIELDS, type RevenueClientRow, type RevenueTotals } from '../resolvers/arithmetic/revenue';
import type { Served } from '../resolvers/pipeline';
import { setMonthlyCost } from '../resolvers/registry';
import { revenueDashboard, type RevenueDashboard } from '../resolvers/revenue';
import type { ManualCost } from '../sources/registry/types';
import { builder } from './builder';
import { BillingType } from './client';
import { described } from './enums';
import { exposeFields } from './expose';
import { dashboardFields, judgedFields } from './freshness';

const CostSource = builder.enumType('CostSource', {
  description: 'Where a revenue row\'s `costs` came from',
  values: described<(typeof COST_SOURCES)[number]>({
    MANUAL: 'A cost recorded by hand for the month (setMonthlyCost)',
    MAILBOXES: 'The monthly price of the workspace\'s connected mailboxes (the infrastructure rules and overrides)',
    NONE: 'Neither is known (costs 0)',
  }),
});

const RevenueClient = builder.objectRef<Served<RevenueClientRow>>('RevenueClient').implement({
  description: 'One client on the revenue dashboard: what it earned the agency in the month, and at what cost. Dollars are rounded to the cent (totals are summed first)',
  fields: (t) => ({
    ...exposeFields(t, REVENUE_CLIENT_FIELDS),
    billingType: t.field({ type: BillingType, description: 'How the client pays: PER_LEAD or RETAINER', resolve: (r) => r.billingType }),
    costSource: t.field({ type: CostSource, description: 'Where `costs` came from', resolve: (r) => r.costSource }),
    ...judgedFields(t),
  }),
});

const RevenueTotalsRef = builder.objectRef<RevenueTotals>('RevenueTotals').implement({
  description: 'The revenue dashboard\'s rows added up (at full precision, then rounded to the cent)',
  fields: (t) => exposeFields(t, REVENUE_TOTALS_FIELDS),
});

const RevenueDashboardRef = builder.objectRef<RevenueDashboard>('RevenueDashboard').implement({
  description: 'What each client earned the agency in one month, what its mailboxes cost, and what the month would bring at the current pace or at full KPI',
  fields: (t) => ({
    month: t.exposeString('month', { description: 'The month shown, "YYYY-MM" in BUSINESS_TIMEZONE' }),
    clients: t.field({ type: [RevenueClient], description: 'One row per active client, in rank order (highest revenue first)', resolve: (d) => d.clients }),
    totals: t.field({ type: RevenueTotalsRef, description: 'The rows added up', resolve: (d) => d.totals }),
    ...dashboardFields(t),
  }),
});

const ManualCostRef = builder.objectRef<ManualCost>('ManualCost').implement({
  description: 'A cost recorded by hand for one client and month; it replaces the mailbox cost in revenue',
  fields: (t) => ({
    workspaceId: t.exposeInt('workspaceId', { description: 'The client\'s Email Bison workspace id' }),
    month: t.exposeString('month', { description: '"YYYY-MM"' }),
    amount: t.exposeFloat('amount', { description: '$ for the month' }),
    note: t.exposeString('note', { nullable: true, description: 'Why, in words (e.g. an invoice number); null when none' }),
  }),
});

builder.queryField('revenue', (t) =>
  t.field({
    type: RevenueDashboardRef,
    // Nullable so that a CLIENT token's refusal nulls only this field, not the rest of the query.
    nullable: true,
    authScopes: { dashboard: 'REVENUE' },
    description: 'The revenue dashboard for one month. ADMIN tokens only: for a CLIENT token it is null with a FORBIDDEN error, and the other fields of the query are still answered',
    args: { month: t.arg.string({ required: false, description: '"YYYY-MM" (month 01-12); default this month in BUSINESS_TIMEZONE' }) },
    resolve: (_root, args, ctx) => revenueDashboard(ctx, args.month),
  }),
);

builder.mutationField('setMonthlyCost', (t) =>
  t.field({
    type: ManualCostRef,
    authScopes: { admin: true },
    description: 'Record (or replace) a manual cost for a client and month; it replaces the mailbox cost in revenue. ADMIN tokens only',
    args: {
      workspaceId: t.arg.int({ required: true, description: 'The client\'s Email Bison workspace id' }),
      month: t.arg.string({ required: true, description: '"YYYY-MM"' }),
      amount: t.arg.float({ required: true, description: '$ for the month: 0 or more, at most 2 decimals' }),
      note: t.arg.string({ required: false, description: 'Why, in words; at most 1000 characters' }),
    },
    resolve: (_r, args, ctx) => setMonthlyCost(ctx, args),
  }),
);
