/** Email infrastructure: every mailbox of every visible workspace, priced, sized and grouped; mailbox overrides. */
import { INFRASTRUCTURE_GROUP_FIELDS, MAILBOX_AGGREGATE_FIELDS, type InfrastructureGroup, type InfrastructureTotals } from '../resolvers/arithmetic/infrastructure';
import { MAILBOX_FIELDS, type Mailbox } from '../resolvers/arithmetic/mailboxes';
import { infrastructureDashboard, mailboxPage, type InfrastructureDashboard } from '../resolvers/infrastructure';
import { setMailboxOverride } from '../resolvers/registry';
import type { MailboxOverride } from '../sources/registry/types';
import { builder } from './builder';
import { exposeFields } from './expose';
import { dashboardFields } from './freshness';

const MailboxStatus = builder.enumType('MailboxStatus', { values: ['CONNECTED', 'DISCONNECTED'] as const });

export const MailboxRef = builder.objectRef<Mailbox>('Mailbox').implement({
  fields: (t) => ({
    ...exposeFields(t, MAILBOX_FIELDS),
    tags: t.exposeStringList('tags'),
  }),
});

const InfrastructureGroupRef = builder.objectRef<InfrastructureGroup>('InfrastructureGroup').implement({
  fields: (t) => exposeFields(t, INFRASTRUCTURE_GROUP_FIELDS),
});

const InfrastructureTotalsRef = builder.objectRef<InfrastructureTotals>('InfrastructureTotals').implement({
  fields: (t) => exposeFields(t, MAILBOX_AGGREGATE_FIELDS),
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

const InfrastructureDashboardRef = builder.objectRef<InfrastructureDashboard>('InfrastructureDashboard').implement({
  fields: (t) => ({
    mailboxes: t.connection({
      type: MailboxRef,
      args: { filter: t.arg({ type: MailboxFilter, required: false }) },
      // Rows are already scoped to the token; asking for another workspace is an attempt, not a miss.
      authScopes: (_d, args) => (args.filter?.workspaceId != null ? { workspace: args.filter.workspaceId } : true),
      resolve: (d, args) => mailboxPage(d, args),
    }, { fields: (c) => ({ totalCount: c.int({ resolve: (conn) => (conn as unknown as { totalCount: number }).totalCount }) }) }),
    totals: t.field({ type: InfrastructureTotalsRef, resolve: (d) => d.totals }),
    byProvider: t.field({ type: [InfrastructureGroupRef], resolve: (d) => d.byProvider }),
    byReseller: t.field({ type: [InfrastructureGroupRef], resolve: (d) => d.byReseller }),
    byWorkspace: t.field({ type: [InfrastructureGroupRef], resolve: (d) => d.byWorkspace }),
    silentMailboxes: t.field({ type: [MailboxRef], description: 'Connected, >= 50 sent, 0 % replies', resolve: (d) => d.silentMailboxes }),
    ...dashboardFields(t),
  }),
});

const MailboxOverrideRef = builder.objectRef<MailboxOverride>('MailboxOverride').implement({
  fields: (t) => ({
    senderEmailId: t.exposeInt('senderEmailId'),
    price: t.exposeFloat('price', { nullable: true, description: '$ a month' }),
    dailyLimit: t.exposeInt('dailyLimit', { nullable: true }),
    note: t.exposeString('note', { nullable: true }),
  }),
});

builder.queryField('infrastructure', (t) => t.field({ type: InfrastructureDashboardRef, resolve: (_root, _args, ctx) => infrastructureDashboard(ctx) }));

builder.mutationField('setMailboxOverride', (t) =>
  t.field({
    type: MailboxOverrideRef,
    authScopes: { admin: true },
    description: 'Manual monthly price and/or daily limit for one mailbox; wins over the rules',
    args: { senderEmailId: t.arg.int({ required: true }), price: t.arg.float({ required: false }), dailyLimit: t.arg.int({ required: false }), note: t.arg.string({ required: false }) },
    resolve: (_r, args, ctx) => setMailboxOverride(ctx, args),
  }),
);
