/**
 * The agency's own data about each workspace (ADMIN only): targets, billing, prices, keys
 * (write-only), manual monthly costs and per-mailbox overrides; and API tokens.
 */
import type { ClientInput as ClientInputRecord, ClientRecord, ManualCost, MailboxOverride } from '../sources/registry/types';
import { RegistryInputError } from '../sources/registry/errors';
import { ROLES } from '../access';
import { builder } from './builder';
import { expose } from './expose';
import { badInput } from './errors';
import { BillingType } from './revenue';

/** Registry input errors become BAD_USER_INPUT naming the field. */
async function validated<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof RegistryInputError) badInput(err.field, err.message.replace(`${err.field}: `, ''));
    throw err;
  }
}

export const Role = builder.enumType('Role', { values: ROLES });

export const ClientRef = builder.objectRef<ClientRecord>('Client').implement({
  description: 'A client of the agency: one Email Bison workspace with targets and billing. The api key is write-only.',
  fields: (t) => ({
    workspaceId: t.exposeInt('workspaceId'),
    name: t.exposeString('name', { description: 'Workspace name in Email Bison' }),
    displayName: t.exposeString('displayName', { nullable: true }),
    active: t.exposeBoolean('active', { description: 'Shown on the dashboards' }),
    billingType: t.field({ type: BillingType, resolve: (c) => c.billingType }),
    ...expose(t, {
      pricePerLead: ['Float', '$ per interested lead (PER_LEAD)'],
      retainerAmount: ['Float', '$ per month (RETAINER)'],
      monthlyKpiTarget: ['Int', 'Interested leads per month; 0 = none'],
      monthlySendingTarget: ['Int', 'Emails per month; 0 = none'],
      dailySendingTarget: ['Int', 'Emails per day; 0 = none'],
      hasApiKey: ['Boolean', 'An Email Bison api-user key is stored (never returned)'],
    }),
    instanceUrl: t.exposeString('instanceUrl', { nullable: true }),
    updatedAt: t.field({ type: 'DateTime', resolve: (c) => c.updatedAt }),
  }),
});

const ClientInput = builder.inputType('ClientInput', {
  fields: (t) => ({
    workspaceId: t.int({ required: true }),
    name: t.string({ required: false }),
    displayName: t.string({ required: false }),
    active: t.boolean({ required: false }),
    billingType: t.field({ type: BillingType, required: false }),
    pricePerLead: t.float({ required: false }),
    retainerAmount: t.float({ required: false }),
    monthlyKpiTarget: t.int({ required: false }),
    monthlySendingTarget: t.int({ required: false }),
    dailySendingTarget: t.int({ required: false }),
    apiKey: t.string({ required: false, description: 'Email Bison api-user key; stored encrypted; never returned' }),
    instanceUrl: t.string({ required: false, description: 'Default: EMAIL_BISON_URL' }),
  }),
});

/** GraphQL gives null for an omitted optional field; only some fields may be cleared with null. */
const CLEARABLE = new Set(['displayName', 'apiKey', 'instanceUrl']);
function toClientInput(input: Record<string, unknown>): ClientInputRecord {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (value !== null || CLEARABLE.has(key)) out[key] = value;
  }
  return out as unknown as ClientInputRecord;
}

const ManualCostRef = builder.objectRef<ManualCost>('ManualCost').implement({
  fields: (t) => ({
    workspaceId: t.exposeInt('workspaceId'),
    month: t.exposeString('month'),
    amount: t.exposeFloat('amount', { description: '$ for the month' }),
    note: t.exposeString('note', { nullable: true }),
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

const admin = { admin: true } as const;

builder.queryField('clients', (t) =>
  t.field({
    type: [ClientRef],
    authScopes: admin,
    args: { activeOnly: t.arg.boolean({ required: false }) },
    resolve: (_r, args, ctx) => ctx.services.registry.list({ activeOnly: args.activeOnly ?? false }),
  }),
);

builder.mutationFields((t) => ({
  upsertClient: t.field({
    type: ClientRef,
    authScopes: admin,
    args: { input: t.arg({ type: ClientInput, required: true }) },
    resolve: (_r, { input }, ctx) => validated(ctx.services.registry.upsert(toClientInput(input))),
  }),
  deactivateClient: t.field({
    type: ClientRef,
    authScopes: admin,
    args: { workspaceId: t.arg.int({ required: true }) },
    resolve: async (_r, { workspaceId }, ctx) =>
      (await ctx.services.registry.deactivate(workspaceId)) ?? badInput('workspaceId', `no client with workspace ${workspaceId}`),
  }),
  setMonthlyCost: t.field({
    type: ManualCostRef,
    authScopes: admin,
    description: 'Record a manual cost for a client and month; it replaces the mailbox cost in revenue',
    args: { workspaceId: t.arg.int({ required: true }), month: t.arg.string({ required: true }), amount: t.arg.float({ required: true }), note: t.arg.string({ required: false }) },
    resolve: (_r, args, ctx) => validated(ctx.services.registry.setMonthlyCost(args)),
  }),
  setMailboxOverride: t.field({
    type: MailboxOverrideRef,
    authScopes: admin,
    description: 'Manual monthly price and/or daily limit for one mailbox; wins over the rules',
    args: { senderEmailId: t.arg.int({ required: true }), price: t.arg.float({ required: false }), dailyLimit: t.arg.int({ required: false }), note: t.arg.string({ required: false }) },
    resolve: (_r, args, ctx) => validated(ctx.services.registry.setMailboxOverride(args)),
  }),
  createApiToken: t.string({
    authScopes: admin,
    description: 'Mint a bearer token. It is shown once and stored hashed. CLIENT tokens need a workspaceId.',
    args: { role: t.arg({ type: Role, required: true }), workspaceId: t.arg.int({ required: false }), label: t.arg.string({ required: false }) },
    resolve: async (_r, args, ctx) => {
      if (args.role === 'CLIENT' && args.workspaceId == null) badInput('workspaceId', 'a CLIENT token needs the workspace it may see');
      if (args.role === 'ADMIN' && args.workspaceId != null) badInput('workspaceId', 'an ADMIN token is not bound to a workspace');
      const { token } = await validated(ctx.services.tokens.create(args));
      return token;
    },
  }),
  revokeApiToken: t.boolean({
    authScopes: admin,
    args: { id: t.arg.int({ required: true }) },
    resolve: (_r, { id }, ctx) => ctx.services.tokens.revoke(id),
  }),
}));
