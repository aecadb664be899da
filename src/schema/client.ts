/**
 * The agency's own data about each workspace (ADMIN only): targets, billing, prices and a
 * write-only Email Bison key.
 */
import { clients, deactivateClient, upsertClient } from '../resolvers/registry';
import type { BillingType as Billing, ClientRecord } from '../sources/registry/types';
import { builder } from './builder';
import { described } from './enums';
import { exposeFields } from './expose';
import { field } from '../resolvers/arithmetic/fields';

export const BillingType = builder.enumType('BillingType', {
  description: 'How a client pays the agency',
  values: described<Billing>({
    PER_LEAD: 'pricePerLead for every interested lead',
    RETAINER: 'retainerAmount a month, whatever the leads',
  }),
});

export const ClientRef = builder.objectRef<ClientRecord>('Client').implement({
  description: 'A client of the agency: one Email Bison workspace with targets and billing. The api key is write-only.',
  fields: (t) => ({
    workspaceId: t.exposeInt('workspaceId', { description: 'Email Bison workspace id' }),
    name: t.exposeString('name', { description: 'Workspace name in Email Bison' }),
    displayName: t.exposeString('displayName', { nullable: true, description: 'What the dashboards call the client; null: the workspace name' }),
    active: t.exposeBoolean('active', { description: 'Shown on the dashboards' }),
    billingType: t.field({ type: BillingType, description: 'PER_LEAD or RETAINER', resolve: (c) => c.billingType }),
    ...exposeFields(t, {
      pricePerLead: field.money('$ per interested lead (PER_LEAD)'),
      retainerAmount: field.money('$ per month (RETAINER)'),
      monthlyKpiTarget: field.count('Interested leads per month; 0 = none'),
      monthlySendingTarget: field.count('Emails per month; 0 = none'),
      dailySendingTarget: field.count('Emails per day; 0 = none'),
      hasApiKey: field.boolean('An Email Bison api-user key is stored (never returned)'),
    }),
    instanceUrl: t.exposeString('instanceUrl', { nullable: true, description: 'Email Bison instance of this workspace; null: EMAIL_BISON_URL' }),
    updatedAt: t.field({ type: 'DateTime', description: 'Last change of this record', resolve: (c) => c.updatedAt }),
  }),
});

const ClientInput = builder.inputType('ClientInput', {
  description: 'A client to create or update: fields left out keep their stored values (a new client gets the defaults)',
  fields: (t) => ({
    workspaceId: t.int({ required: true, description: 'Email Bison workspace id' }),
    name: t.string({ required: false, description: 'Workspace name; default the name Email Bison lists (required for a workspace discovery has not seen)' }),
    displayName: t.string({ required: false, description: 'What the dashboards call the client; null clears it (the workspace name is shown)' }),
    active: t.boolean({ required: false, description: 'Shown on the dashboards; default true' }),
    billingType: t.field({ type: BillingType, required: false, description: 'PER_LEAD (default) or RETAINER' }),
    pricePerLead: t.float({ required: false, description: '$ per interested lead (PER_LEAD): 0 or more, at most 2 decimals' }),
    retainerAmount: t.float({ required: false, description: '$ per month (RETAINER): 0 or more, at most 2 decimals' }),
    monthlyKpiTarget: t.int({ required: false, description: 'Interested leads per month; 0 = none (the KPI dashboard warns NO_KPI_TARGET)' }),
    monthlySendingTarget: t.int({ required: false, description: 'Emails per month; 0 = none' }),
    dailySendingTarget: t.int({ required: false, description: 'Emails per day; 0 = none' }),
    apiKey: t.string({ required: false, description: 'Email Bison api-user key `<id>|<secret>`; stored encrypted; never returned; null removes it. A key set here is never replaced by minting' }),
    instanceUrl: t.string({ required: false, description: 'Email Bison base URL of this workspace (http or https); null: EMAIL_BISON_URL' }),
  }),
});

const admin = { admin: true } as const;

builder.queryField('clients', (t) =>
  t.field({
    type: [ClientRef],
    // Nullable so that a CLIENT token's refusal nulls only this field, not the rest of the query.
    nullable: true,
    authScopes: admin,
    description: 'The agency\'s clients (one per workspace) with targets and billing, by workspace id. ADMIN tokens only (null with FORBIDDEN otherwise)',
    args: { activeOnly: t.arg.boolean({ required: false, description: 'Only the clients shown on the dashboards; default false (all)' }) },
    resolve: (_r, args, ctx) => clients(ctx, args.activeOnly),
  }),
);

builder.mutationFields((t) => ({
  upsertClient: t.field({
    type: ClientRef,
    authScopes: admin,
    description: 'Create or update a client; answers the stored record. Invalid input is refused (BAD_USER_INPUT naming the field) and nothing is written. ADMIN tokens only',
    args: { input: t.arg({ type: ClientInput, required: true, description: 'The client; fields left out keep their stored values' }) },
    resolve: (_r, { input }, ctx) => upsertClient(ctx, input),
  }),
  deactivateClient: t.field({
    type: ClientRef,
    authScopes: admin,
    description: 'Take a client off the dashboards (its data and settings stay; discovery never re-activates it); answers the record. ADMIN tokens only',
    args: { workspaceId: t.arg.int({ required: true, description: 'The client\'s Email Bison workspace id' }) },
    resolve: (_r, { workspaceId }, ctx) => deactivateClient(ctx, workspaceId),
  }),
}));
