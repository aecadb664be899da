/** Email infrastructure: every mailbox of every visible workspace, priced, sized and grouped. */
import {
  filterMailboxes, paginate, PROVIDERS, RESELLERS, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE,
  type InfrastructureGroup, type InfrastructureResult, type Mailbox,
} from '../resolvers';
import type { MailboxOverride } from '../sources/registry/types';
import { classifiedWorkspace, mailboxAggregate, overridesVersion, type MailboxAggregate } from './mailbox-memo';
import { clientName } from '../resolvers/common';
import type { DashboardKind } from '../sources/freshness';
import type { Freshness } from '../sources/freshness';
import type { SourceErrorInfo } from '../sources/errors';
import { builder } from './builder';
import { expose, type FieldSpec } from './expose';
import type { GatewayContext } from './context';
import { FreshnessRef, SourceErrorRef, ValidationWarningRef, type WarningShape } from './freshness';
import { dashboardFreshness, loadDashboard, reportWarnings, type LoadedDashboard } from './dashboard';
import { badInput, forbidden } from './errors';

const mailboxPlan = (workspaceId: number) => ({ senderEmails: { kind: 'sender-emails', workspaceId } as const });
type MailboxPlan = ReturnType<typeof mailboxPlan>;

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
  const { observer } = ctx.services;
  const parts = dashboard.loaded.map(({ client, values }) =>
    classifiedWorkspace(observer, { workspaceId: client.workspaceId, name: clientName(client) }, values.senderEmails, versioned));
  return { dashboard, aggregate: mailboxAggregate(observer, parts) };
}

const MailboxStatus = builder.enumType('MailboxStatus', { values: ['CONNECTED', 'DISCONNECTED'] as const });

export const MailboxRef = builder.objectRef<Mailbox>('Mailbox').implement({
  fields: (t) => ({
    id: t.exposeInt('id', { description: 'Email Bison sender-email id' }),
    workspaceId: t.exposeInt('workspaceId'),
    name: t.exposeString('name', { description: 'Client (workspace) name' }),
    ...expose(t, {
      email: ['String'],
      domain: ['String'],
      status: ['String', 'As Email Bison reports it'],
      connected: ['Boolean'],
      provider: ['String', `One of ${PROVIDERS.join(', ')}`],
      reseller: ['String', `One of ${RESELLERS.join(', ')}`],
      emailsSent: ['Int', 'Lifetime emails sent'],
      uniqueReplies: ['Int'],
      replyRate: ['Float', 'unique replies / sent * 100 (percent; 0 when nothing sent)'],
      price: ['Float', 'Monthly $ (override, else the reseller rule)'],
      dailyCapacity: ['Int', 'Emails a day (override, else the provider/reseller rule)'],
      needsPriceReview: ['Boolean', 'Priced 0: unknown reseller and no override'],
      overridden: ['Boolean', 'A manual override set price or capacity'],
    }),
    tags: t.exposeStringList('tags'),
  }),
});

/** The figures a group and the totals share. */
const AGGREGATE_FIELDS: FieldSpec = {
  mailboxes: ['Int'],
  connected: ['Int'],
  disconnected: ['Int'],
  emailsSent: ['Int'],
  replies: ['Int'],
  replyRate: ['Float', 'Percent, weighted over mailboxes with >= 50 sent'],
  dailyCapacity: ['Int', 'Emails a day of the connected mailboxes'],
  monthlyCost: ['Float', '$ a month of the connected mailboxes'],
};

const InfrastructureGroupRef = builder.objectRef<InfrastructureGroup>('InfrastructureGroup').implement({
  fields: (t) => ({
    key: t.exposeString('key'),
    workspaceId: t.int({ nullable: true, resolve: (g) => g.workspaceId }),
    ...expose(t, AGGREGATE_FIELDS),
  }),
});

const InfrastructureTotals = builder.objectRef<InfrastructureResult['totals']>('InfrastructureTotals').implement({
  fields: (t) => expose(t, AGGREGATE_FIELDS),
});

const MailboxFilter = builder.inputType('MailboxFilter', {
  fields: (t) => ({
    workspaceId: t.int({ required: false }),
    status: t.field({ type: MailboxStatus, required: false }),
    provider: t.string({ required: false }),
    reseller: t.string({ required: false }),
    minSent: t.int({ required: false, description: 'At least this many emails sent' }),
    maxReplyRate: t.float({ required: false, description: 'Reply rate at most this percent' }),
  }),
});

interface InfrastructureShape extends InfrastructureResult {
  freshness: Freshness;
  warnings: WarningShape[];
  errors: SourceErrorInfo[];
}

const InfrastructureDashboard = builder.objectRef<InfrastructureShape>('InfrastructureDashboard').implement({
  fields: (t) => ({
    mailboxes: t.connection({
      type: MailboxRef,
      args: { filter: t.arg({ type: MailboxFilter, required: false }) },
      resolve: (d, args, ctx) => {
        const first = args.first ?? DEFAULT_PAGE_SIZE;
        if (first < 0 || first > MAX_PAGE_SIZE) badInput('first', `wants 0 to ${MAX_PAGE_SIZE}, got ${first}`);
        if (args.last != null || args.before != null) badInput('last', 'backward pagination is not supported; use first/after');
        const filter = args.filter ?? {};
        // Rows are already scoped to the token; asking for another workspace is an attempt, not a miss.
        if (filter.workspaceId != null && ctx.principal.role === 'CLIENT' && filter.workspaceId !== ctx.principal.workspaceId) {
          forbidden('A CLIENT token may only read its own workspace');
        }
        if (filter.minSent != null && filter.minSent < 0) badInput('filter.minSent', `wants 0 or more, got ${filter.minSent}`);
        if (filter.maxReplyRate != null && !(filter.maxReplyRate >= 0 && filter.maxReplyRate <= 100)) {
          badInput('filter.maxReplyRate', `wants a percent from 0 to 100, got ${filter.maxReplyRate}`);
        }
        try {
          return paginate(filterMailboxes(d.mailboxes, filter), { first, after: args.after });
        } catch (err) {
          return badInput('after', err instanceof Error ? err.message : 'bad cursor');
        }
      },
    }, { fields: (c) => ({ totalCount: c.int({ resolve: (conn) => (conn as unknown as { totalCount: number }).totalCount }) }) }),
    totals: t.field({ type: InfrastructureTotals, resolve: (d) => d.totals }),
    byProvider: t.field({ type: [InfrastructureGroupRef], resolve: (d) => d.byProvider }),
    byReseller: t.field({ type: [InfrastructureGroupRef], resolve: (d) => d.byReseller }),
    byWorkspace: t.field({ type: [InfrastructureGroupRef], resolve: (d) => d.byWorkspace }),
    silentMailboxes: t.field({ type: [MailboxRef], description: 'Connected, >= 50 sent, 0 % replies', resolve: (d) => d.silentMailboxes }),
    freshness: t.field({ type: FreshnessRef, resolve: (d) => d.freshness }),
    warnings: t.field({ type: [ValidationWarningRef], resolve: (d) => d.warnings }),
    errors: t.field({ type: [SourceErrorRef], resolve: (d) => d.errors }),
  }),
});

builder.queryField('infrastructure', (t) =>
  t.field({
    type: InfrastructureDashboard,
    resolve: async (_root, _args, ctx) => {
      const { dashboard, aggregate } = await loadMailboxes(ctx, 'INFRASTRUCTURE');
      reportWarnings(ctx.services.observer, 'INFRASTRUCTURE', aggregate.warnings);
      return {
        ...aggregate,
        errors: [...dashboard.errors, ...aggregate.errors],
        freshness: dashboardFreshness(dashboard, aggregate.warnings, ctx.now),
      };
    },
  }),
);
