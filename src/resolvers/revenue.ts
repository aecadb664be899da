/**
 * The revenue dashboard (ADMIN only, see src/access.ts): what each client earned the agency in a
 * month, and at what cost. The month is bounded to the months the instance can have: from the
 * month its oldest workspace was created to this month.
 */
import { isValidMonth, statsWindowForMonth } from './arithmetic/calendar';
import { buildRevenueDashboard, revenueTotals, type RevenueClientRow, type RevenueTotals } from './arithmetic/revenue';
import { revenueClientRowSchema } from './arithmetic/row-schemas';
import { revenueWarnings } from './arithmetic/warnings';
import type { GatewayContext } from './context';
import { badInput, excerpt } from './errors';
import { loadMailboxes } from './infrastructure';
import { finishClientDashboard, loadDashboard, type ClientDashboard } from './pipeline';
import { revenuePlan } from './plans';

export interface RevenueDashboard extends ClientDashboard<RevenueClientRow, RevenueTotals> {
  month: string;
}

/** How far back a month may go when the instance's workspaces cannot be read. */
const FALLBACK_MONTHS_BACK = 36;

/** The earliest month the instance can have data for: its oldest workspace's creation month. */
async function earliestMonth(ctx: GatewayContext): Promise<string> {
  const read = await ctx.data.read({ kind: 'workspaces' });
  const created = (read.value ?? []).map((w) => w.created_at).filter((t): t is string => typeof t === 'string' && /^\d{4}-\d{2}/.test(t));
  if (created.length > 0) return created.reduce((a, b) => (a < b ? a : b)).slice(0, 7);
  const [year, month] = ctx.calendar.month.split('-').map(Number);
  const back = year * 12 + (month - 1) - FALLBACK_MONTHS_BACK;
  return `${Math.floor(back / 12)}-${String((back % 12) + 1).padStart(2, '0')}`;
}

/** The revenue dashboard of `month` (`YYYY-MM`, default this month). */
export async function revenueDashboard(ctx: GatewayContext, requested: string | null | undefined): Promise<RevenueDashboard> {
  const cal = ctx.calendar;
  const month = requested ?? cal.month;
  if (!isValidMonth(month)) badInput('month', `wants YYYY-MM with a month 01-12, got ${excerpt(month)}`);
  const window = statsWindowForMonth(month, cal);
  if (!window) badInput('month', `${month} has not begun yet (this month is ${cal.month})`);
  const earliest = month === cal.month ? month : await earliestMonth(ctx);
  if (month < earliest) badInput('month', `${month} is before this instance's first workspace (${earliest}); months from ${earliest} to ${cal.month} have data`);

  const [dashboard, mailboxes, manualCosts] = await Promise.all([
    loadDashboard(ctx, 'REVENUE', (client) => revenuePlan(client.workspaceId, window)),
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
    ctx, dashboard, buildRevenueDashboard(inputs, month, cal),
    { rowSchema: revenueClientRowSchema, totalsOf: revenueTotals },
    (served) => revenueWarnings({ month, ...served }),
  );
  return { month, ...finished };
}
