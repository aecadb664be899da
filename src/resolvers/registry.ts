/**
 * The agency's own data (ADMIN only, by the schema's auth scopes): clients with their targets,
 * billing and write-only keys; manual monthly costs; mailbox overrides; API tokens. Registry input
 * errors become BAD_USER_INPUT naming the field; nothing is written when one is found.
 */
import type { Role } from '../access';
import { RegistryInputError } from '../sources/registry/errors';
import type { ClientInput, ClientRecord, MailboxOverride, ManualCost } from '../sources/registry/types';
import type { GatewayContext } from './context';
import { isDatabaseUnavailable } from '../sources/db/unavailable';
import { badInput, databaseUnavailable } from './errors';

/** Registry input errors become BAD_USER_INPUT naming the field; an unreachable database SERVICE_UNAVAILABLE. */
async function validated<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof RegistryInputError) badInput(err.field, err.message.replace(`${err.field}: `, ''));
    if (isDatabaseUnavailable(err)) databaseUnavailable();
    throw err;
  }
}

/** GraphQL gives null for an omitted optional field; only some fields may be cleared with null. */
const CLEARABLE = new Set(['displayName', 'apiKey', 'instanceUrl']);
function toClientInput(input: Record<string, unknown>): ClientInput {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (value !== null || CLEARABLE.has(key)) out[key] = value;
  }
  return out as unknown as ClientInput;
}

export const clients = (ctx: GatewayContext, activeOnly: boolean | null | undefined): Promise<ClientRecord[]> =>
  validated(ctx.services.registry.list({ activeOnly: activeOnly ?? false }));

export const upsertClient = (ctx: GatewayContext, input: Record<string, unknown>): Promise<ClientRecord> =>
  validated(ctx.services.registry.upsert(toClientInput(input)));

export async function deactivateClient(ctx: GatewayContext, workspaceId: number): Promise<ClientRecord> {
  return (await validated(ctx.services.registry.deactivate(workspaceId))) ?? badInput('workspaceId', `no client with workspace ${workspaceId}`);
}

export const setMonthlyCost = (ctx: GatewayContext, cost: { workspaceId: number; month: string; amount: number; note?: string | null }): Promise<ManualCost> =>
  validated(ctx.services.registry.setMonthlyCost(cost));

export const setMailboxOverride = (
  ctx: GatewayContext,
  override: { senderEmailId: number; price?: number | null; dailyLimit?: number | null; note?: string | null },
): Promise<MailboxOverride> => validated(ctx.services.registry.setMailboxOverride(override));

/** Mints a bearer token, shown once. CLIENT tokens are bound to a workspace; ADMIN tokens to none (the store checks). */
export async function createApiToken(ctx: GatewayContext, args: { role: Role; workspaceId?: number | null; label?: string | null }): Promise<string> {
  const { token } = await validated(ctx.services.tokens.create(args));
  return token;
}

export const revokeApiToken = (ctx: GatewayContext, id: number): Promise<boolean> => validated(ctx.services.tokens.revoke(id));
