/**
 * Revenue dashboard for one month: what each client earned the agency, what its mailboxes cost,
 * and what the month would bring at the current pace or at full KPI.
 */
import type { Stats } from '../../sources/email-bison/schemas';
import type { BillingType, ClientRecord } from '../../sources/registry/types';
import { isCurrentMonth, isValidMonth, type Calendar } from './calendar';
import { byNameThenId, clientName, projectToMonth, ratioOrZero, sum } from './common';
import { field, type RowOf } from './fields';

export interface RevenueInput {
  client: ClientRecord;
  /** Stats of the month window (whole month when past, month-to-date when current). */
  stats: Stats;
  /** $ a month of the workspace's connected mailboxes (`mailboxCostByWorkspace`); null when unknown. */
  mailboxCost: number | null;
  /** $ recorded by hand for this month; wins over `mailboxCost`. */
  manualCost: number | null;
}

/** Where `costs` came from. NONE: neither a manual cost nor mailbox data (costs 0). */
export type CostSource = 'MANUAL' | 'MAILBOXES' | 'NONE';
export const COST_SOURCES: readonly CostSource[] = ['MANUAL', 'MAILBOXES', 'NONE'];

/** One revenue row: what a client earned the agency in the month, and at what cost. */
export const REVENUE_CLIENT_FIELDS = {
  workspaceId: field.workspaceId('Email Bison workspace id of this client'),
  name: field.name('Display name, else the workspace name'),
  leads: field.count('Interested leads in the month (to date for this month)'),
  revenue: field.money('$ earned in the month: retainerAmount (RETAINER), or leads * pricePerLead (PER_LEAD)'),
  costs: field.money('$ spent in the month: the manual cost recorded for it (setMonthlyCost), else the connected mailboxes\' monthly price; see costSource'),
  profit: field.signedMoney('$: revenue - costs (negative for a loss)'),
  profitMargin: field.nullable(field.float('profit / revenue * 100 (percent); null when revenue is 0')),
  kpiProgress: field.amount('leads / monthlyKpi (ratio, 1.0 = 100 %; 0 when no target)'),
  monthlyKpi: field.count('Monthly target of interested leads (0 = none)'),
  possibleRevenue: field.money('$ at full KPI: monthlyKpi * pricePerLead (PER_LEAD), or the retainer'),
  // see `projectedRevenue`
  projectedRevenue: field.money('$ expected by month end: for this month, per-lead revenue / daysElapsed * daysInMonth (a retainer is already the month\'s amount); past months: the revenue'),
  rank: field.rank('By revenue, highest first (1 = highest; ties by name)'),
};

export type RevenueClientRow = RowOf<typeof REVENUE_CLIENT_FIELDS> & { billingType: BillingType; costSource: CostSource };

export const REVENUE_TOTALS_FIELDS = {
  clients: field.count('Client rows'),
  leads: field.count('Interested leads in the month, all rows'),
  revenue: field.money('$ earned in the month, all rows'),
  costs: field.money('$ spent in the month, all rows'),
  profit: field.signedMoney('$: revenue - costs, all rows'),
  profitMargin: field.nullable(field.float('Sum of profit / sum of revenue * 100 (percent); null when revenue is 0')),
  projectedRevenue: field.money('$ expected by month end, all rows (past months: the revenue)'),
  possibleRevenue: field.money('$ at full KPI, all rows'),
  revenueGap: field.signedMoney('$: possibleRevenue - revenue (negative when clients beat their KPI)'),
};

export type RevenueTotals = RowOf<typeof REVENUE_TOTALS_FIELDS>;

export interface RevenueDashboardResult {
  /** `YYYY-MM` */
  month: string;
  clients: RevenueClientRow[];
  totals: RevenueTotals;
}

export function revenueOf(client: ClientRecord, leads: number): number {
  return client.billingType === 'RETAINER' ? client.retainerAmount : leads * client.pricePerLead;
}

export function possibleRevenueOf(client: ClientRecord): number {
  return client.billingType === 'RETAINER' ? client.retainerAmount : client.monthlyKpiTarget * client.pricePerLead;
}

/**
 * Revenue expected by month end. Only the current month is projected, and only per-lead revenue
 * grows with the days: a retainer is the month's amount already, so projecting it ÷ daysElapsed ×
 * daysInMonth would multiply it (×30 on day 1). Past months: the revenue itself.
 */
export function projectedRevenue(client: ClientRecord, revenue: number, currentMonth: boolean, cal: Calendar): number {
  if (!currentMonth || client.billingType === 'RETAINER') return revenue;
  return projectToMonth(revenue, cal.daysElapsed, cal.daysInMonth);
}

function costsOf(input: RevenueInput): { costs: number; costSource: CostSource } {
  if (input.manualCost !== null) return { costs: input.manualCost, costSource: 'MANUAL' };
  if (input.mailboxCost !== null) return { costs: input.mailboxCost, costSource: 'MAILBOXES' };
  return { costs: 0, costSource: 'NONE' };
}

export function profitMargin(profit: number, revenue: number): number | null {
  return revenue > 0 ? (profit / revenue) * 100 : null;
}

function buildRow(input: RevenueInput, currentMonth: boolean, cal: Calendar): RevenueClientRow {
  const { client } = input;
  const leads = input.stats.interested;
  const revenue = revenueOf(client, leads);
  const { costs, costSource } = costsOf(input);
  const profit = revenue - costs;
  return {
    workspaceId: client.workspaceId,
    name: clientName(client),
    billingType: client.billingType,
    leads,
    revenue,
    costs,
    costSource,
    profit,
    profitMargin: profitMargin(profit, revenue),
    kpiProgress: ratioOrZero(leads, client.monthlyKpiTarget),
    monthlyKpi: client.monthlyKpiTarget,
    possibleRevenue: possibleRevenueOf(client),
    projectedRevenue: projectedRevenue(client, revenue, currentMonth, cal),
    rank: 0,
  };
}

export function revenueTotals(rows: readonly RevenueClientRow[]): RevenueTotals {
  const revenue = sum(rows, (r) => r.revenue);
  const costs = sum(rows, (r) => r.costs);
  const possibleRevenue = sum(rows, (r) => r.possibleRevenue);
  return {
    clients: rows.length,
    leads: sum(rows, (r) => r.leads),
    revenue,
    costs,
    profit: revenue - costs,
    profitMargin: profitMargin(revenue - costs, revenue),
    projectedRevenue: sum(rows, (r) => r.projectedRevenue),
    possibleRevenue,
    revenueGap: possibleRevenue - revenue,
  };
}

/** Rows ordered by rank. `month` must be `YYYY-MM`. */
export function buildRevenueDashboard(inputs: readonly RevenueInput[], month: string, cal: Calendar): RevenueDashboardResult {
  if (!isValidMonth(month)) throw new RangeError(`Invalid month "${month}": expected YYYY-MM with a month 01-12`);
  const currentMonth = isCurrentMonth(month, cal);
  const clients = inputs
    .map((input) => buildRow(input, currentMonth, cal))
    .sort((a, b) => b.revenue - a.revenue || byNameThenId(a, b))
    .map((row, i) => ({ ...row, rank: i + 1 }));
  return { month, clients, totals: revenueTotals(clients) };
}
