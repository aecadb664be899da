/**
 * KPI dashboard: interested leads ("positive replies") against each client's monthly target.
 * See "What the numbers mean" in DESIGN.md; every number here comes from stats windows.
 */
import { z } from 'zod';
import type { Stats } from '../../sources/email-bison/schemas';
import type { ClientRecord } from '../../sources/registry/types';
import type { Calendar } from './calendar';
import { clientName, projectToMonth, ratioOrZero, sum } from './common';
import { field, type RowOf } from './fields';

export type KpiStatus = 'ABOVE' | 'ON_TRACK' | 'BELOW';
export const KPI_STATUSES: readonly KpiStatus[] = ['ABOVE', 'ON_TRACK', 'BELOW'];

/** Stats of one workspace for each window the KPI dashboard needs (see `Calendar.windows`). */
export interface KpiStatsWindows {
  mtd: Stats;
  last7: Stats;
  prev7: Stats;
  last14: Stats;
  last30: Stats;
  lastMonth: Stats;
}

export interface KpiInput {
  client: ClientRecord;
  stats: KpiStatsWindows;
}

/** One KPI row: every number comes from the `interested`, `emails_sent` and `bounced` stats. */
export const KPI_CLIENT_FIELDS = {
  workspaceId: field.workspaceId('Email Bison workspace id of this client'),
  name: field.name('Display name, else the workspace name'),
  leadsGenerated: field.count('Interested leads this month so far: Email Bison stats `interested`, month to date (today counts)'),
  monthlyKpi: field.count('Monthly target of interested leads (0 = none)'),
  projectedReplies: field.count('Interested leads expected by month end at the current pace: round(leadsGenerated / daysElapsed * daysInMonth)'),
  currentProgress: field.amount('leadsGenerated / monthlyKpi (ratio, 1.0 = 100 %; 0 when no target)'),
  repliesProgress: field.amount('projectedReplies / monthlyKpi (ratio, 1.0 = 100 %; 0 when no target)'),
  positiveRepliesLast7Days: field.count('Interested leads in the last 7 calendar days, today included'),
  positiveRepliesLast14Days: field.count('Interested leads in the last 14 calendar days, today included'),
  positiveRepliesLast30Days: field.count('Interested leads in the last 30 calendar days, today included'),
  positiveRepliesLastMonth: field.count('Interested leads in the previous calendar month'),
  weekOverWeekChange: field.nullable(field.of('Float', z.number().min(-1))('(last 7 days - the 7 days before) / the 7 days before (ratio: 0.25 = 25 % more, -1 = none at all); null when the 7 days before had none')),
  emailsSent: field.count('Emails sent this month so far'),
  bounced: field.count('Bounces this month so far'),
};

/**
 * `status` is ABOVE when leadsGenerated ≥ monthlyKpi, ON_TRACK when projectedReplies ≥ monthlyKpi,
 * else BELOW. Applied literally, so a client without a target (0) is ABOVE; NO_KPI_TARGET flags it.
 */
export type KpiClientRow = RowOf<typeof KPI_CLIENT_FIELDS> & { status: KpiStatus };

export const KPI_TOTALS_FIELDS = {
  clients: field.count('Client rows on the dashboard'),
  leadsGenerated: field.count('Sum of the rows\' leadsGenerated'),
  monthlyKpi: field.count('Sum of the rows\' monthly targets'),
  projectedReplies: field.count('Sum of the rows\' projectedReplies'),
  currentProgress: field.amount('Sum of leads / sum of targets, over clients with a target (ratio; clients without one are left out, so their leads cannot inflate the progress of the rest)'),
  repliesProgress: field.amount('Sum of projections / sum of targets, over clients with a target (ratio)'),
  positiveRepliesLast7Days: field.count('Sum of the rows\' positiveRepliesLast7Days'),
  positiveRepliesLast14Days: field.count('Sum of the rows\' positiveRepliesLast14Days'),
  positiveRepliesLast30Days: field.count('Sum of the rows\' positiveRepliesLast30Days'),
  positiveRepliesLastMonth: field.count('Sum of the rows\' positiveRepliesLastMonth'),
  emailsSent: field.count('Emails sent this month so far, all rows'),
  bounced: field.count('Bounces this month so far, all rows'),
  clientsAbove: field.count('Rows with status ABOVE'),
  clientsOnTrack: field.count('Rows with status ON_TRACK'),
  clientsBelow: field.count('Rows with status BELOW'),
};

export type KpiTotals = RowOf<typeof KPI_TOTALS_FIELDS>;

export interface KpiDashboardResult {
  clients: KpiClientRow[];
  totals: KpiTotals;
}

export function kpiStatus(leadsGenerated: number, projectedReplies: number, monthlyKpi: number): KpiStatus {
  if (leadsGenerated >= monthlyKpi) return 'ABOVE';
  if (projectedReplies >= monthlyKpi) return 'ON_TRACK';
  return 'BELOW';
}

/** (current − previous) ÷ previous; null when there is nothing to compare against. */
export function weekOverWeekChange(current: number, previous: number): number | null {
  return previous > 0 ? (current - previous) / previous : null;
}

export function buildKpiRow({ client, stats }: KpiInput, cal: Calendar): KpiClientRow {
  const leadsGenerated = stats.mtd.interested;
  const monthlyKpi = client.monthlyKpiTarget;
  const projectedReplies = Math.round(projectToMonth(leadsGenerated, cal.daysElapsed, cal.daysInMonth));
  return {
    workspaceId: client.workspaceId,
    name: clientName(client),
    leadsGenerated,
    monthlyKpi,
    projectedReplies,
    currentProgress: ratioOrZero(leadsGenerated, monthlyKpi),
    repliesProgress: ratioOrZero(projectedReplies, monthlyKpi),
    positiveRepliesLast7Days: stats.last7.interested,
    positiveRepliesLast14Days: stats.last14.interested,
    positiveRepliesLast30Days: stats.last30.interested,
    positiveRepliesLastMonth: stats.lastMonth.interested,
    weekOverWeekChange: weekOverWeekChange(stats.last7.interested, stats.prev7.interested),
    emailsSent: stats.mtd.emails_sent,
    bounced: stats.mtd.bounced,
    status: kpiStatus(leadsGenerated, projectedReplies, monthlyKpi),
  };
}

export function kpiTotals(rows: readonly KpiClientRow[]): KpiTotals {
  const targeted = rows.filter((r) => r.monthlyKpi > 0);
  const targetSum = sum(targeted, (r) => r.monthlyKpi);
  const count = (status: KpiStatus) => rows.filter((r) => r.status === status).length;
  return {
    clients: rows.length,
    leadsGenerated: sum(rows, (r) => r.leadsGenerated),
    monthlyKpi: targetSum,
    projectedReplies: sum(rows, (r) => r.projectedReplies),
    currentProgress: ratioOrZero(sum(targeted, (r) => r.leadsGenerated), targetSum),
    repliesProgress: ratioOrZero(sum(targeted, (r) => r.projectedReplies), targetSum),
    positiveRepliesLast7Days: sum(rows, (r) => r.positiveRepliesLast7Days),
    positiveRepliesLast14Days: sum(rows, (r) => r.positiveRepliesLast14Days),
    positiveRepliesLast30Days: sum(rows, (r) => r.positiveRepliesLast30Days),
    positiveRepliesLastMonth: sum(rows, (r) => r.positiveRepliesLastMonth),
    emailsSent: sum(rows, (r) => r.emailsSent),
    bounced: sum(rows, (r) => r.bounced),
    clientsAbove: count('ABOVE'),
    clientsOnTrack: count('ON_TRACK'),
    clientsBelow: count('BELOW'),
  };
}

/** Rows keep the caller's order (the schema layer decides presentation order). */
export function buildKpiDashboard(inputs: readonly KpiInput[], cal: Calendar): KpiDashboardResult {
  const clients = inputs.map((input) => buildKpiRow(input, cal));
  return { clients, totals: kpiTotals(clients) };
}
