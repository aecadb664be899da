/** Email infrastructure: every mailbox of every visible workspace, priced, sized and grouped; mailbox overrides. */
import { INFRASTRUCTURE_GROUP_FIELDS, MAILBOX_AGGREGATE_FIELDS, type InfrastructureGroup, type InfrastructureTotals } from '../resolvers/arithmetic/infrastructure';
import { MAILBOX_FIELDS, type Mailbox } from '../resolvers/arithmetic/mailboxes';
import { infrastructureDashboard, mailboxPage, type InfrastructureDashboard } from '../resolvers/infrastructure';
import { setMailboxOverride } from '../resolvers/registry';
import type { Provider, Reseller } from '../resolvers/arithmetic/mailbox-rules';
import type { MailboxOverride } from '../sources/registry/types';
import { builder } from './builder';
import { described, describedNames } from './enums';
import { exposeFields } from './expose';
import { dashboardFields } from './freshness';

const MailboxStatus = builder.enumType('MailboxStatus', {
  description: 'Whether a mailbox is connected to Email Bison',
  values: described<'CONNECTED' | 'DISCONNECTED'>({
    CONNECTED: 'Connected: it sends, and it is counted in capacity and cost',
    DISCONNECTED: 'Anything but connected: it sends nothing',
  }),
});

const MailboxProvider = builder.enumType('MailboxProvider', {
  description: 'Who hosts a mailbox (the values of Mailbox.provider, in capitals)',
  values: describedNames<Provider>({
    Google: 'Google Workspace or Gmail (a "Gmail" tag counts as Google)',
    Outlook: 'Microsoft 365 or Outlook (a "Microsoft" tag counts too; ScaledMail and Mailr mailboxes are Outlook)',
    Yahoo: 'Yahoo',
    Custom: 'Custom SMTP/IMAP hosting',
    iCloud: 'iCloud',
    AOL: 'AOL',
    Unknown: 'No provider tag and no hint from the connection type',
  }),
});

const MailboxReseller = builder.enumType('MailboxReseller', {
  description: 'Who sold a mailbox (the values of Mailbox.reseller, in capitals); the reseller decides the price',
  values: describedNames<Reseller>({
    Zapmail: 'Zapmail: $3.00 a month per mailbox',
    CheapInboxes: 'CheapInboxes: $3.00 a month per mailbox',
    Mailr: 'Mailr: $0.91 a month per mailbox; 495 emails a day shared by its mailboxes on a domain',
    ScaledMail: 'ScaledMail: $50 a month per domain, shared by its mailboxes there; 5 emails a day each (8 when 25-48 on the domain)',
    Unknown: 'No reseller tag: priced 0 and flagged needsPriceReview',
  }),
});

export const MailboxRef = builder.objectRef<Mailbox>('Mailbox').implement({
  description: 'One mailbox: an Email Bison sender email, with its provider, reseller, price and daily capacity read from its tags (a manual override wins)',
  fields: (t) => ({
    ...exposeFields(t, MAILBOX_FIELDS),
    tags: t.exposeStringList('tags', { description: 'Its tag names as Email Bison has them (provider, reseller, batch, ...)' }),
  }),
});

const InfrastructureGroupRef = builder.objectRef<InfrastructureGroup>('InfrastructureGroup').implement({
  description: 'Mailboxes that share a provider, a reseller or a workspace, added up',
  fields: (t) => exposeFields(t, INFRASTRUCTURE_GROUP_FIELDS),
});

const InfrastructureTotalsRef = builder.objectRef<InfrastructureTotals>('InfrastructureTotals').implement({
  description: 'Every mailbox of the dashboard added up',
  fields: (t) => exposeFields(t, MAILBOX_AGGREGATE_FIELDS),
});

const MailboxFilter = builder.inputType('MailboxFilter', {
  description: 'Which mailboxes a page lists: every criterion given must hold; null or absent criteria keep everything',
  fields: (t) => ({
    workspaceId: t.int({ required: false, description: 'Only this workspace\'s mailboxes (a CLIENT token: its own only, another one is FORBIDDEN)' }),
    status: t.field({ type: MailboxStatus, required: false, description: 'Only connected, or only disconnected, mailboxes' }),
    providers: t.field({ type: [MailboxProvider], required: false, description: 'Only these providers (any of them); an empty list keeps none' }),
    resellers: t.field({ type: [MailboxReseller], required: false, description: 'Only these resellers (any of them); an empty list keeps none' }),
    provider: t.string({
      required: false,
      description: 'Only this provider, by name: case-insensitive, "gmail" is Google, "microsoft" is Outlook; a name that is no provider is refused (BAD_USER_INPUT)',
      deprecationReason: 'Use `providers`: an enum list, checked by the schema',
    }),
    reseller: t.string({
      required: false,
      description: 'Only this reseller, by name: case-insensitive, numbered batches ("CheapInboxes - 2") allowed; a name that is no reseller is refused (BAD_USER_INPUT)',
      deprecationReason: 'Use `resellers`: an enum list, checked by the schema',
    }),
    minSent: t.int({ required: false, description: 'At least this many emails sent, lifetime (0 or more)' }),
    maxReplyRate: t.float({ required: false, description: 'Reply rate at most this percent (0-100)' }),
  }),
});

const InfrastructureDashboardRef = builder.objectRef<InfrastructureDashboard>('InfrastructureDashboard').implement({
  description: 'Every mailbox of every visible workspace, priced and sized, with totals and groupings by provider, reseller and workspace',
  fields: (t) => ({
    mailboxes: t.connection({
      type: MailboxRef,
      // Nullable so that refusing a filter on another workspace nulls only this field.
      nullable: true,
      description: 'The mailboxes, one page at a time (Relay connection), in workspace-then-id order, filtered. Page forward with first/after, backward with last/before; first and last are at most 1000. A filter on a workspace the token may not see is null with FORBIDDEN',
      args: { filter: t.arg({ type: MailboxFilter, required: false, description: 'Which mailboxes to list; default all' }) },
      // Rows are already scoped to the token; asking for another workspace is an attempt, not a miss.
      authScopes: (_d, args) => (args.filter?.workspaceId != null ? { workspace: args.filter.workspaceId } : true),
      resolve: (d, args) => mailboxPage(d, args),
    }, {
      description: 'A page of mailboxes',
      fields: (c) => ({ totalCount: c.int({ description: 'Mailboxes matching the filter, on all pages', resolve: (conn) => (conn as unknown as { totalCount: number }).totalCount }) }),
    }, { description: 'One mailbox of the page, with its cursor' }),
    totals: t.field({ type: InfrastructureTotalsRef, description: 'Every mailbox added up', resolve: (d) => d.totals }),
    byProvider: t.field({ type: [InfrastructureGroupRef], description: 'One group per provider, most mailboxes first', resolve: (d) => d.byProvider }),
    byReseller: t.field({ type: [InfrastructureGroupRef], description: 'One group per reseller, most mailboxes first', resolve: (d) => d.byReseller }),
    byWorkspace: t.field({ type: [InfrastructureGroupRef], description: 'One group per workspace, most mailboxes first', resolve: (d) => d.byWorkspace }),
    silentMailboxes: t.field({ type: [MailboxRef], description: 'Connected mailboxes with >= 50 emails sent and no reply (0 %), most sent first: likely landing in spam', resolve: (d) => d.silentMailboxes }),
    ...dashboardFields(t),
  }),
});

const MailboxOverrideRef = builder.objectRef<MailboxOverride>('MailboxOverride').implement({
  description: 'A manual price and/or daily limit for one mailbox; it wins over the rules',
  fields: (t) => ({
    senderEmailId: t.exposeInt('senderEmailId', { description: 'Email Bison sender-email id of the mailbox (Mailbox.id)' }),
    price: t.exposeFloat('price', { nullable: true, description: '$ a month; null: the reseller rule' }),
    dailyLimit: t.exposeInt('dailyLimit', { nullable: true, description: 'Emails a day; null: the provider/reseller rule' }),
    note: t.exposeString('note', { nullable: true, description: 'Why, in words; null when none' }),
  }),
});

builder.queryField('infrastructure', (t) => t.field({
  type: InfrastructureDashboardRef,
  description: 'The email infrastructure dashboard: every mailbox with provider, reseller, price and capacity, and their aggregates. Any token; a CLIENT token sees its own workspace\'s mailboxes only',
  resolve: (_root, _args, ctx) => infrastructureDashboard(ctx),
}));

builder.mutationField('setMailboxOverride', (t) =>
  t.field({
    type: MailboxOverrideRef,
    authScopes: { admin: true },
    description: 'Set a manual monthly price and/or daily limit for one mailbox (replacing an earlier one); it wins over the rules on the infrastructure and revenue dashboards at once. The mailbox must be in the mailbox lists the gateway holds (else BAD_USER_INPUT). ADMIN tokens only',
    args: {
      senderEmailId: t.arg.int({ required: true, description: 'Email Bison sender-email id of the mailbox (Mailbox.id)' }),
      price: t.arg.float({ required: false, description: '$ a month: 0 or more, at most 2 decimals; null: the reseller rule' }),
      dailyLimit: t.arg.int({ required: false, description: 'Emails a day, 0 or more; null: the provider/reseller rule' }),
      note: t.arg.string({ required: false, description: 'Why, in words; at most 1000 characters' }),
    },
    resolve: (_r, args, ctx) => setMailboxOverride(ctx, args),
  }),
);
