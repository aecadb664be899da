/**
 * The email infrastructure dashboard: every mailbox of every visible workspace, priced, sized and
 * grouped (memoized per data version, see mailbox-memo.ts), and its Relay page of mailboxes.
 * Revenue shares `loadMailboxes` for its mailbox costs.
 */
import type { SourceErrorInfo } from '../sources/errors';
import type { DashboardKind, Freshness } from '../sources/freshness';
import type { MailboxOverride } from '../sources/registry/types';
import { clientName } from './arithmetic/common';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, filterMailboxes, paginate, type MailboxConnection, type MailboxFilter } from './arithmetic/mailbox-pagination';
import type { InfrastructureResult } from './arithmetic/infrastructure';
import type { ValidationWarning } from './arithmetic/warnings';
import type { GatewayContext } from './context';
import { badInput } from './errors';
import { overridesVersion, type MailboxAggregate } from './mailbox-memo';
import { dashboardFreshness, loadDashboard, type LoadedDashboard } from './pipeline';
import { reportWarnings } from './row-checks';
import { mailboxPlan, type MailboxPlan } from './plans';

export interface LoadedMailboxes {
  dashboard: LoadedDashboard<MailboxPlan>;
  /** Classified, checked and grouped; memoized while the cached lists and overrides are unchanged. */
  aggregate: MailboxAggregate;
}

/** Every mailbox of the visible clients, classified with the stored overrides (shared with revenue). */
export async function loadMailboxes(ctx: GatewayContext, kind: DashboardKind): Promise<LoadedMailboxes> {
  const [dashboard, overrides] = await Promise.all([
    loadDashboard(ctx, kind, (client) => mailboxPlan(client.workspaceId)),
    ctx.services.registry.mailboxOverrides(),
  ]);
  let byId: Map<number, MailboxOverride> | null = null;
  const versioned = { version: overridesVersion(overrides), byId: () => (byId ??= new Map(overrides.map((o) => [o.senderEmailId, o]))) };
  const memo = ctx.services.mailboxes;
  const parts = dashboard.loaded.map(({ client, values }) =>
    memo.classified({ workspaceId: client.workspaceId, name: clientName(client) }, values.senderEmails, versioned));
  return { dashboard, aggregate: memo.aggregate(parts) };
}

export interface InfrastructureDashboard extends InfrastructureResult {
  freshness: Freshness;
  warnings: ValidationWarning[];
  errors: SourceErrorInfo[];
}

export async function infrastructureDashboard(ctx: GatewayContext): Promise<InfrastructureDashboard> {
  const { dashboard, aggregate } = await loadMailboxes(ctx, 'INFRASTRUCTURE');
  reportWarnings(ctx.services.observer, 'INFRASTRUCTURE', aggregate.warnings);
  return {
    ...aggregate,
    errors: [...dashboard.errors, ...aggregate.errors],
    freshness: dashboardFreshness(ctx, dashboard, aggregate.warnings),
  };
}

export interface MailboxPageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  filter?: MailboxFilter | null;
}

/** One page of the dashboard's mailboxes, filtered; every argument checked. */
export function mailboxPage(dashboard: InfrastructureDashboard, args: MailboxPageArgs): MailboxConnection {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (first < 0 || first > MAX_PAGE_SIZE) badInput('first', `wants 0 to ${MAX_PAGE_SIZE}, got ${first}`);
  if (args.last != null || args.before != null) badInput('last', 'backward pagination is not supported; use first/after');
  // The schema's auth scope already refused a filter on a workspace the token may not see.
  const filter = args.filter ?? {};
  if (filter.minSent != null && filter.minSent < 0) badInput('filter.minSent', `wants 0 or more, got ${filter.minSent}`);
  if (filter.maxReplyRate != null && !(filter.maxReplyRate >= 0 && filter.maxReplyRate <= 100)) {
    badInput('filter.maxReplyRate', `wants a percent from 0 to 100, got ${filter.maxReplyRate}`);
  }
  try {
    return paginate(filterMailboxes(dashboard.mailboxes, filter), { first, after: args.after });
  } catch (err) {
    return badInput('after', err instanceof Error ? err.message : 'bad cursor');
  }
}
