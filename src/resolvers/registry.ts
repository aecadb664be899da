/**
 * The agency's own data (ADMIN only, by the schema's auth scopes): clients with their targets,
 * billing and write-only keys; manual monthly costs; mailbox overrides; API tokens. Registry input
 * errors become BAD_USER_INPUT naming the field; nothing is written when one is found.
 */
import type { Role } from '../access';
import { RegistryInputError } from '../sources/registry/errors';
import type { TokenInfo } from '../sources/registry/tokens';
import type { ClientInput, ClientRecord, MailboxOverride, ManualCost } from '../sources/registry/types';
import type { GatewayContext } from './context';
import { isDatabaseUnavailable } from '../sources/db/unavailable';
import { badInput, databaseUnavailable } from './errors';
import { loadMailboxes } from './infrastructure';
import { workspaces } from './workspaces';

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

/**
 * Sets a mailbox's override once the mailbox is known: it must be in the cached mailbox lists of
 * the client workspaces (an id nobody has would silently price nothing).
 */
export async function setMailboxOverride(
  ctx: GatewayContext,
  override: { senderEmailId: number; price?: number | null; dailyLimit?: number | null; note?: string | null },
): Promise<MailboxOverride> {
  const { dashboard, aggregate } = await loadMailboxes(ctx, 'INFRASTRUCTURE');
  const mailbox = aggregate.mailboxes.find((m) => m.id === override.senderEmailId);
  if (!mailbox) {
    const unread = dashboard.errors.map((e) => e.workspaceId).filter((id) => id !== null);
    const hint = unread.length ? `; the lists of workspace(s) ${unread.join(', ')} could not be read, try again later` : '';
    badInput('senderEmailId', `no mailbox with sender-email id ${override.senderEmailId} in the mailbox lists of the client workspaces${hint}`);
  }
  return validated(ctx.services.registry.setMailboxOverride({ ...override, workspaceId: mailbox.workspaceId }));
}

export interface IssuedToken {
  id: number;
  /** The bearer token, shown once. */
  token: string;
  info: TokenInfo;
}

/**
 * Mints a bearer token, shown once. CLIENT tokens are bound to a workspace that exists (a client
 * of the registry or a workspace Email Bison lists); ADMIN tokens to none (the store checks).
 */
export async function issueApiToken(ctx: GatewayContext, args: { role: Role; workspaceId?: number | null; label?: string | null }): Promise<IssuedToken> {
  const { workspaceId } = args;
  if (workspaceId != null && args.role === 'CLIENT' && !(await workspaces(ctx)).some((w) => w.workspaceId === workspaceId)) {
    badInput('workspaceId', `no workspace ${workspaceId}: neither a registered client nor a workspace Email Bison lists`);
  }
  const { id, token } = await validated(ctx.services.tokens.create(args));
  const info = (await validated(ctx.services.tokens.list())).find((t) => t.id === id)!;
  return { id, token, info };
}

/** Every minted token, revoked ones included; the store never returns a secret or a hash. */
export const apiTokens = (ctx: GatewayContext): Promise<TokenInfo[]> => validated(ctx.services.tokens.list());

export const revokeApiToken = (ctx: GatewayContext, id: number): Promise<boolean> => validated(ctx.services.tokens.revoke(id));
