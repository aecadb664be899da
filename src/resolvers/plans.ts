/**
 * Plans: which upstream resources each dashboard row needs, per workspace. The pipeline reads a
 * plan through the request's loaders; priming, refresh, subscriptions and the cache-admin fields
 * use `dashboardResources` so they touch exactly what a dashboard reads.
 */
import type { DashboardKind } from '../sources/freshness';
import type { Resource } from '../sources/resources';
import type { Calendar, CalendarWindows, DateWindow } from './arithmetic/calendar';

type StatsResource = Extract<Resource, { kind: 'stats' }>;

export type Plan = Record<string, Resource>;

const stats = (workspaceId: number, window: DateWindow): StatsResource => ({ kind: 'stats', workspaceId, start: window.start, end: window.end });

/** Stats resources for the named calendar windows of one workspace. */
export function statsPlan<const W extends readonly (keyof CalendarWindows)[]>(
  workspaceId: number,
  cal: Calendar,
  windows: W,
): { [K in W[number]]: StatsResource } {
  const plan = {} as Record<string, StatsResource>;
  for (const w of windows) plan[w] = stats(workspaceId, cal.windows[w]);
  return plan as { [K in W[number]]: StatsResource };
}

/** The stats windows a KPI row needs. */
export const kpiPlan = (workspaceId: number, cal: Calendar) =>
  statsPlan(workspaceId, cal, ['mtd', 'last7', 'prev7', 'last14', 'last30', 'lastMonth'] as const);

export const volumePlan = (workspaceId: number, cal: Calendar) => ({
  ...statsPlan(workspaceId, cal, ['mtd', 'today', 'last7', 'last14', 'last30'] as const),
  schedulesToday: { kind: 'sending-schedules', workspaceId, day: 'today' } as const,
  schedulesTomorrow: { kind: 'sending-schedules', workspaceId, day: 'tomorrow' } as const,
});

/** Revenue of a month: that month's stats window (month to date for this month). */
export const revenuePlan = (workspaceId: number, month: DateWindow) => ({ stats: stats(workspaceId, month) });

export interface MailboxPlan extends Plan {
  senderEmails: { kind: 'sender-emails'; workspaceId: number };
}
export const mailboxPlan = (workspaceId: number): MailboxPlan => ({ senderEmails: { kind: 'sender-emails', workspaceId } });

/** The upstream resources behind one dashboard's row for a workspace (revenue: this month). */
export function dashboardResources(kind: DashboardKind, workspaceId: number, cal: Calendar): Resource[] {
  switch (kind) {
    case 'KPI':
      return Object.values(kpiPlan(workspaceId, cal));
    case 'VOLUME':
      return Object.values(volumePlan(workspaceId, cal));
    case 'REVENUE':
      return [...Object.values(revenuePlan(workspaceId, cal.windows.mtd)), ...Object.values(mailboxPlan(workspaceId))];
    case 'INFRASTRUCTURE':
      return Object.values(mailboxPlan(workspaceId));
  }
}
