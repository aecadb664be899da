/**
 * Volume dashboard: emails sent against each client's sending target, with pace and a ranking
 * that puts the clients needing attention where an operator looks.
 */
import { z } from 'zod';
import type { SendingSchedule, Stats } from '../../sources/email-bison/schemas';
import type { ClientRecord } from '../../sources/registry/types';
import type { Calendar } from './calendar';
import { byNameThenId, clientName, percentOrZero, projectToMonth, sum } from './common';
import { field, type RowOf } from './fields';

export type VolumePace = 'ON_PACE' | 'NEAR_TARGET' | 'BEHIND';
export const VOLUME_PACES: readonly VolumePace[] = ['ON_PACE', 'NEAR_TARGET', 'BEHIND'];

export interface VolumeInput {
  client: ClientRecord;
  stats: { mtd: Stats; today: Stats; last7: Stats; last14: Stats; last30: Stats };
  /** Sending schedules of the workspace's campaigns for today and tomorrow. */
  schedules: { today: SendingSchedule[]; tomorrow: SendingSchedule[] };
}

/** One volume row, for a client with a sending target. */
export const VOLUME_CLIENT_FIELDS = {
  workspaceId: field.workspaceId('Email Bison workspace id of this client'),
  name: field.name('Display name, else the workspace name'),
  emailsSent: field.count('Emails sent this month so far'),
  emailsToday: field.count('Emails sent today'),
  emailsScheduledToday: field.count('Emails the workspace\'s campaigns plan to send today: sum of `emails_being_sent` of today\'s sending schedules'),
  emailsScheduledTomorrow: field.count('Emails the workspace\'s campaigns plan to send tomorrow: sum of `emails_being_sent` of tomorrow\'s sending schedules'),
  emailsLast7Days: field.count('Emails sent in the last 7 calendar days, today included'),
  emailsLast14Days: field.count('Emails sent in the last 14 calendar days, today included'),
  emailsLast30Days: field.count('Emails sent in the last 30 calendar days, today included'),
  // rows exist only when it is > 0
  monthlyTarget: field.of('Int', z.number().int().positive())('Emails per month: the client\'s monthly sending target, else its daily target * daysInMonth'),
  dailyTarget: field.count('Emails per day: the client\'s daily sending target, else round(monthlyTarget / daysInMonth)'),
  expectedByNow: field.amount('Emails that should be sent by today: monthlyTarget / daysInMonth * daysElapsed (fractional)'),
  isOnTrack: field.boolean('emailsSent >= expectedByNow'),
  projection: field.count('Emails expected by month end at the current pace: round(emailsSent / daysElapsed * daysInMonth)'),
  targetPercentage: field.amount('emailsSent / monthlyTarget * 100 (percent)'),
  projectedPercentage: field.amount('projection / monthlyTarget * 100 (percent); decides `pace`'),
  // see `compareVolumeRows`
  rank: field.rank('Position on the dashboard, 1 = first: clients that sent something before those that sent nothing; ON_PACE by targetPercentage, highest first; then NEAR_TARGET and BEHIND by targetPercentage, lowest (neediest) first'),
};

/** `pace` is ON_PACE when projectedPercentage ≥ 100, NEAR_TARGET when ≥ 80, else BEHIND. */
export type VolumeClientRow = RowOf<typeof VOLUME_CLIENT_FIELDS> & { pace: VolumePace };

export const VOLUME_TOTALS_FIELDS = {
  clients: field.count('Rows: clients with a sending target'),
  emailsSent: field.count('Emails sent this month so far, all rows'),
  emailsToday: field.count('Emails sent today, all rows'),
  emailsScheduledToday: field.count('Emails scheduled for today, all rows'),
  emailsScheduledTomorrow: field.count('Emails scheduled for tomorrow, all rows'),
  emailsLast7Days: field.count('Emails sent in the last 7 days, all rows'),
  emailsLast14Days: field.count('Emails sent in the last 14 days, all rows'),
  emailsLast30Days: field.count('Emails sent in the last 30 days, all rows'),
  monthlyTarget: field.count('Sum of the rows\' monthly targets (emails)'),
  dailyTarget: field.count('Sum of the rows\' daily targets (emails)'),
  expectedByNow: field.amount('Sum of the rows\' expectedByNow (emails, fractional)'),
  projection: field.count('Sum of the rows\' projections (emails)'),
  targetPercentage: field.amount('Sum of emailsSent / sum of monthlyTarget * 100 (percent)'),
  projectedPercentage: field.amount('Sum of projections / sum of monthlyTarget * 100 (percent)'),
  clientsOnPace: field.count('Rows with pace ON_PACE'),
  clientsNearTarget: field.count('Rows with pace NEAR_TARGET'),
  clientsBehind: field.count('Rows with pace BEHIND'),
  clientsNotSending: field.count('Rows that sent nothing this month (ranked last)'),
};

export type VolumeTotals = RowOf<typeof VOLUME_TOTALS_FIELDS>;

export interface VolumeDashboardResult {
  clients: VolumeClientRow[];
  totals: VolumeTotals;
}

export function volumePace(projectedPercentage: number): VolumePace {
  if (projectedPercentage >= 100) return 'ON_PACE';
  if (projectedPercentage >= 80) return 'NEAR_TARGET';
  return 'BEHIND';
}

/**
 * The client's sending targets for this month. A client with only a daily target still has a
 * sending target, so the monthly one is derived from it (and the other way round).
 */
export function sendingTargets(client: ClientRecord, daysInMonth: number): { monthly: number; daily: number } {
  const monthly = client.monthlySendingTarget > 0 ? client.monthlySendingTarget : client.dailySendingTarget * daysInMonth;
  const daily = client.dailySendingTarget > 0 ? client.dailySendingTarget : Math.round(monthly / daysInMonth);
  return { monthly, daily };
}

const scheduled = (schedules: readonly SendingSchedule[]) => sum(schedules, (s) => s.emails_being_sent);

/** One row, or null when the client has no sending target (left off the dashboard). */
export function buildVolumeRow({ client, stats, schedules }: VolumeInput, cal: Calendar): VolumeClientRow | null {
  const { monthly, daily } = sendingTargets(client, cal.daysInMonth);
  if (monthly <= 0) return null;
  const emailsSent = stats.mtd.emails_sent;
  const expectedByNow = (monthly / cal.daysInMonth) * cal.daysElapsed;
  const projection = Math.round(projectToMonth(emailsSent, cal.daysElapsed, cal.daysInMonth));
  const projectedPercentage = percentOrZero(projection, monthly);
  return {
    workspaceId: client.workspaceId,
    name: clientName(client),
    emailsSent,
    emailsToday: stats.today.emails_sent,
    emailsScheduledToday: scheduled(schedules.today),
    emailsScheduledTomorrow: scheduled(schedules.tomorrow),
    emailsLast7Days: stats.last7.emails_sent,
    emailsLast14Days: stats.last14.emails_sent,
    emailsLast30Days: stats.last30.emails_sent,
    monthlyTarget: monthly,
    dailyTarget: daily,
    expectedByNow,
    isOnTrack: emailsSent >= expectedByNow,
    projection,
    targetPercentage: percentOrZero(emailsSent, monthly),
    projectedPercentage,
    pace: volumePace(projectedPercentage),
    rank: 0,
  };
}

/**
 * Ranking: clients that sent something come first; among them ON_PACE by targetPercentage
 * descending (best first), then NEAR_TARGET and BEHIND together by targetPercentage ascending
 * (neediest first); clients that sent nothing come last. Ties go by name, then workspace id.
 */
export function compareVolumeRows(a: VolumeClientRow, b: VolumeClientRow): number {
  const group = (r: VolumeClientRow) => (r.emailsSent === 0 ? 2 : r.pace === 'ON_PACE' ? 0 : 1);
  const ga = group(a);
  const gb = group(b);
  if (ga !== gb) return ga - gb;
  const byPercent = ga === 0 ? b.targetPercentage - a.targetPercentage : a.targetPercentage - b.targetPercentage;
  return byPercent || byNameThenId(a, b);
}

/** Sorted copy with `rank` set 1…n. */
export function rankVolumeRows(rows: readonly VolumeClientRow[]): VolumeClientRow[] {
  return [...rows].sort(compareVolumeRows).map((row, i) => ({ ...row, rank: i + 1 }));
}

export function volumeTotals(rows: readonly VolumeClientRow[]): VolumeTotals {
  const monthlyTarget = sum(rows, (r) => r.monthlyTarget);
  const emailsSent = sum(rows, (r) => r.emailsSent);
  const projection = sum(rows, (r) => r.projection);
  const count = (keep: (r: VolumeClientRow) => boolean) => rows.filter(keep).length;
  return {
    clients: rows.length,
    emailsSent,
    emailsToday: sum(rows, (r) => r.emailsToday),
    emailsScheduledToday: sum(rows, (r) => r.emailsScheduledToday),
    emailsScheduledTomorrow: sum(rows, (r) => r.emailsScheduledTomorrow),
    emailsLast7Days: sum(rows, (r) => r.emailsLast7Days),
    emailsLast14Days: sum(rows, (r) => r.emailsLast14Days),
    emailsLast30Days: sum(rows, (r) => r.emailsLast30Days),
    monthlyTarget,
    dailyTarget: sum(rows, (r) => r.dailyTarget),
    expectedByNow: sum(rows, (r) => r.expectedByNow),
    projection,
    targetPercentage: percentOrZero(emailsSent, monthlyTarget),
    projectedPercentage: percentOrZero(projection, monthlyTarget),
    clientsOnPace: count((r) => r.pace === 'ON_PACE'),
    clientsNearTarget: count((r) => r.pace === 'NEAR_TARGET'),
    clientsBehind: count((r) => r.pace === 'BEHIND'),
    clientsNotSending: count((r) => r.emailsSent === 0),
  };
}

/** Rows ranked (see `compareVolumeRows`); clients without a sending target are left out. */
export function buildVolumeDashboard(inputs: readonly VolumeInput[], cal: Calendar): VolumeDashboardResult {
  const rows: VolumeClientRow[] = [];
  for (const input of inputs) {
    const row = buildVolumeRow(input, cal);
    if (row) rows.push(row);
  }
  const clients = rankVolumeRows(rows);
  return { clients, totals: volumeTotals(clients) };
}
