/**
 * The agency's own data about each workspace (ADMIN only): targets, billing, prices and a
 * write-only Email Bison key.
 */
import { clients, deactivateClient, upsertClient } from '../resolvers/registry';
import type { ClientRecord } from '../sources/registry/types';
import { builder } from './builder';
import { exposeFields } from './expose';
import { field } from '../resolvers/arithmetic/fields';

export const BillingType = builder.enumType('BillingType', { values: ['PER_LEAD', 'RETAINER'] as const });

export const ClientRef = builder.objectRef<ClientRecord>('Client').implement({
  description: 'A client of the agency: one Email Bison workspace with targets and billing. The api key is write-only.',
  fields: (t) => ({
    workspaceId: t.exposeInt('workspaceId'),
    name: t.exposeString('name', { description: 'Workspace name in Email Bison' }),
    displayName: t.exposeString('displayName', { nullable: true }),
    active: t.exposeBoolean('active', { description: 'Shown on the dashboards' }),
    billingType: t.field({ type: BillingType, resolve: (c) => c.billingType }),
    ...exposeFields(t, {
      pricePerLead: field.money('$ per interested lead (PER_LEAD)'),
      retainerAmount: field.money('$ per month (RETAINER)'),
      monthlyKpiTarget: field.count('Interested leads per month; 0 = none'),
      monthlySendingTarget: field.count('Emails per month; 0 = none'),
      dailySendingTarget: field.count('Emails per day; 0 = none'),
      hasApiKey: field.boolean('An Email Bison api-user key is stored (never returned)'),
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

const admin = { admin: true } as const;

builder.queryField('clients', (t) =>
  t.field({
    type: [ClientRef],
    authScopes: admin,
    args: { activeOnly: t.arg.boolean({ required: false }) },
    resolve: (_r, args, ctx) => clients(ctx, args.activeOnly),
  }),
);

builder.mutationFields((t) => ({
  upsertClient: t.field({
    type: ClientRef,
    authScopes: admin,
    args: { input: t.arg({ type: ClientInput, required: true }) },
    resolve: (_r, { input }, ctx) => upsertClient(ctx, input),
  }),
  deactivateClient: t.field({
    type: ClientRef,
    authScopes: admin,
    args: { workspaceId: t.arg.int({ required: true }) },
    resolve: (_r, { workspaceId }, ctx) => deactivateClient(ctx, workspaceId),
  }),
}));
