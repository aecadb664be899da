/**
 * KPI dashboard: interested leads ("positive replies") against each client's monthly target.
 * See "What the numbers mean" in DESIGN.md; every number here comes from stats windows.
 */
import type { Stats } from '../sources/email-bison/schemas';
import type { ClientRecord } from '../sources/registry/types';
import type { Calendar } from './calendar';
import { clientName, projectToMonth, ratioOrZero, sum } from './common';

export type KpiStatus = 'ABOVE' | 'ON_TRACK' | 'BELOW';

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

export interface KpiClientRow {
  workspaceId: number;
  /** Display name, else workspace name. */
  name: string;
  /** Interested leads this month so far (stats `interested`, MTD). */
  leadsGenerated: number;
  /** Interested leads wanted this month; 0 = no target. */
  monthlyKpi: number;
  /** Leads expected by month end at the current pace: round(leads ÷ daysElapsed × daysInMonth). */
  projectedReplies: number;
  /** leadsGenerated ÷ monthlyKpi, a ratio (1.0 = 100 %); 0 when there is no target. */
  currentProgress: number;
  /** projectedReplies ÷ monthlyKpi, a ratio (1.0 = 100 %); 0 when there is no target. */
  repliesProgress: number;
  /** Interested leads in the 7 days ending today. */
  positiveRepliesLast7Days: number;
  /** Interested leads in the 14 days ending today. */
  positiveRepliesLast14Days: number;
  /** Interested leads in the 30 days ending today. */
  positiveRepliesLast30Days: number;
  /** Interested leads in the previous calendar month. */
  positiveRepliesLastMonth: number;
  /** (last 7 days − the 7 before) ÷ the 7 before, a ratio (0.5 = +50 %); null when the 7 before had 0. */
  weekOverWeekChange: number | null;
  /** Emails sent this month so far. */
  emailsSent: number;
  /** Emails bounced this month so far. */
  bounced: number;
  /**
   * ABOVE when leadsGenerated ≥ monthlyKpi, ON_TRACK when projectedReplies ≥ monthlyKpi, else BELOW.
   * Applied literally, so a client without a target (0) is ABOVE; the NO_KPI_TARGET warning flags it.
   */
  status: KpiStatus;
}

export interface KpiTotals {
  /** Number of client rows. */
  clients: number;
  /** Σ leadsGenerated (all clients). */
  leadsGenerated: number;
  /** Σ monthlyKpi. */
  monthlyKpi: number;
  /** Σ projectedReplies (all clients). */
  projectedReplies: number;
  /**
   * Σ leads ÷ Σ monthlyKpi over clients that HAVE a target, a ratio; 0 when none has one.
   * Clients without a target are left out so their leads cannot inflate the progress of the rest.
   */
  currentProgress: number;
  /** Σ projectedReplies ÷ Σ monthlyKpi over clients with a target, a ratio; 0 when none has one. */
  repliesProgress: number;
  positiveRepliesLast7Days: number;
  positiveRepliesLast14Days: number;
  positiveRepliesLast30Days: number;
  positiveRepliesLastMonth: number;
  /** Σ emails sent MTD. */
  emailsSent: number;
  /** Σ bounced MTD. */
  bounced: number;
  /** Clients with status ABOVE. */
  clientsAbove: number;
  /** Clients with status ON_TRACK. */
  clientsOnTrack: number;
  /** Clients with status BELOW. */
  clientsBelow: number;
}

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
