/**
 * The email infrastructure dashboard: every mailbox of every visible workspace, priced, sized and
 * grouped (memoized per data version, see mailbox-memo.ts), and its Relay page of mailboxes.
 * Revenue shares `loadMailboxes` for its mailbox costs.
 */
import type { SourceErrorInfo } from '../sources/errors';
import type { DashboardKind, Freshness } from '../sources/freshness';
import type { MailboxOverride } from '../sources/registry/types';
import { clientName } from './arithmetic/common';
import { PAGE_SIZE_RANGE, decodeMailboxCursor, paginate, type MailboxConnection, type MailboxFilter } from './arithmetic/mailbox-pagination';
import type { InfrastructureResult } from './arithmetic/infrastructure';
import { PROVIDERS, RESELLERS, providerNamed, resellerNamed, type Provider, type Reseller } from './arithmetic/mailbox-rules';
import type { ValidationWarning } from './arithmetic/warnings';
import type { GatewayContext } from './context';
import { badInput, outOfRange } from './errors';
import { overridesVersion, type MailboxAggregate, type VersionedOverrides } from './mailbox-memo';
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
  const versioned = versionedOverrides(overrides);
  const memo = ctx.services.mailboxes;
  const parts = dashboard.loaded.map(({ client, values }) =>
    memo.classified({ workspaceId: client.workspaceId, name: clientName(client) }, values.senderEmails, versioned));
  return { dashboard, aggregate: memo.aggregate(parts) };
}

/** The overrides with their memo version, computed once per list the registry hands out. */
const versions = new WeakMap<readonly MailboxOverride[], VersionedOverrides>();
function versionedOverrides(overrides: readonly MailboxOverride[]): VersionedOverrides {
  let known = versions.get(overrides);
  if (!known) {
    let byId: Map<number, MailboxOverride> | null = null;
    known = { version: overridesVersion(overrides), byId: () => (byId ??= new Map(overrides.map((o) => [o.senderEmailId, o]))) };
    versions.set(overrides, known);
  }
  return known;
}

export interface InfrastructureDashboard extends InfrastructureResult, Pick<MailboxAggregate, 'filtered'> {
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

/** The filter as GraphQL gives it: `provider` and `reseller` are the deprecated free-text forms. */
export interface MailboxFilterArgs extends Omit<MailboxFilter, 'providers' | 'resellers'> {
  providers?: readonly Provider[] | null;
  resellers?: readonly Reseller[] | null;
  provider?: string | null;
  reseller?: string | null;
}

export interface MailboxPageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  filter?: MailboxFilterArgs | null;
}

/**
 * A free-text name narrows the list given as enums (both must hold): `provider: "gmail"` is
 * `providers: [GOOGLE]`. A name that means nothing is refused, never a silent empty page.
 */
function narrowed<T extends string>(list: readonly T[] | null | undefined, text: string | null | undefined, named: (text: string) => T | null, argument: string, known: readonly T[]): readonly T[] | null {
  if (text == null || text.trim() === '') return list ?? null;
  const name = named(text);
  if (!name) badInput(argument, `${JSON.stringify(text.slice(0, 40))} names none of ${known.join(', ')}`);
  return list ? list.filter((item) => item === name) : [name];
}

function canonicalFilter({ provider, reseller, providers, resellers, ...rest }: MailboxFilterArgs): MailboxFilter {
  if (rest.minSent != null && rest.minSent < 0) badInput('filter.minSent', `wants 0 or more, got ${rest.minSent}`);
  if (rest.maxReplyRate != null && !(rest.maxReplyRate >= 0 && rest.maxReplyRate <= 100)) {
    badInput('filter.maxReplyRate', `wants a percent from 0 to 100, got ${rest.maxReplyRate}`);
  }
  return {
    ...rest,
    providers: narrowed(providers, provider, providerNamed, 'filter.provider', PROVIDERS),
    resellers: narrowed(resellers, reseller, resellerNamed, 'filter.reseller', RESELLERS),
  };
}

/** One page of the dashboard's mailboxes, filtered, forward or backward; every argument checked. */
export function mailboxPage(dashboard: InfrastructureDashboard, args: MailboxPageArgs): MailboxConnection {
  for (const size of ['first', 'last'] as const) {
    const refused = args[size] == null ? null : outOfRange(size, args[size], PAGE_SIZE_RANGE);
    if (refused) throw refused;
  }
  for (const cursor of ['after', 'before'] as const) {
    try {
      if (args[cursor] != null) decodeMailboxCursor(args[cursor]);
    } catch (err) {
      badInput(cursor, err instanceof Error ? err.message : 'not a cursor of this list');
    }
  }
  // The schema's auth scope already refused a filter on a workspace the token may not see.
  return paginate(dashboard.filtered(canonicalFilter(args.filter ?? {})), args);
}
