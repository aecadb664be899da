/** The gateway's own bearer tokens (ADMIN only): minted once, stored hashed, listed, revocable. */
import type { Role as RoleName } from '../access';
import { apiTokens, issueApiToken, revokeApiToken, type IssuedToken } from '../resolvers/registry';
import type { TokenInfo } from '../sources/registry/tokens';
import { builder } from './builder';
import { described } from './enums';

export const Role = builder.enumType('Role', {
  description: 'What a bearer token may do',
  values: described<RoleName>({
    ADMIN: 'Everything: every workspace, revenue, administration',
    CLIENT: 'One workspace: its own rows of KPI, volume and infrastructure, its health and cache entries, and `refresh` of it; no revenue, no other mutation',
  }),
});

const ApiTokenRef = builder.objectRef<TokenInfo>('ApiToken').implement({
  description: 'A bearer token minted with issueApiToken (or createApiToken). The token itself is shown once, when minted; only its hash is stored, and neither is ever returned here. The bootstrap GATEWAY_ADMIN_TOKEN is not listed',
  fields: (t) => ({
    id: t.exposeInt('id', { description: 'What revokeApiToken takes' }),
    role: t.field({ type: Role, description: 'ADMIN or CLIENT', resolve: (k) => k.role }),
    workspaceId: t.int({ nullable: true, description: 'The one workspace a CLIENT token sees; null for ADMIN tokens', resolve: (k) => k.workspaceId }),
    label: t.string({ nullable: true, description: 'What it is for, as given when minted; null when none', resolve: (k) => k.label }),
    createdAt: t.field({ type: 'DateTime', description: 'When it was minted', resolve: (k) => k.createdAt }),
    lastUsedAt: t.field({ type: 'DateTime', nullable: true, description: 'When a request last used it (written at most once a minute); null when never', resolve: (k) => k.lastUsedAt }),
    revoked: t.boolean({ description: 'It was revoked: requests with it get HTTP 401', resolve: (k) => k.revokedAt !== null }),
    revokedAt: t.field({ type: 'DateTime', nullable: true, description: 'When it was revoked; null while it works', resolve: (k) => k.revokedAt }),
  }),
});

const IssuedApiTokenRef = builder.objectRef<IssuedToken>('IssuedApiToken').implement({
  description: 'A token just minted: the secret, shown this once, and its record',
  fields: (t) => ({
    id: t.exposeInt('id', { description: 'Its id, for revokeApiToken (the same as apiToken.id)' }),
    token: t.exposeString('token', { description: 'The bearer token (`bgw_...`): send it as `Authorization: Bearer <token>`. Shown once: it cannot be read again' }),
    apiToken: t.field({ type: ApiTokenRef, description: 'Its record, as apiTokens lists it', resolve: (i) => i.info }),
  }),
});

const mintArgs = builder.args((t) => ({
  role: t.field({ type: Role, required: true, description: 'ADMIN or CLIENT' }),
  workspaceId: t.int({ required: false, description: 'The one workspace a CLIENT token sees: a registered client or a workspace Email Bison lists (required for CLIENT, empty for ADMIN)' }),
  label: t.string({ required: false, description: 'What it is for, e.g. "acme dashboard"; at most 200 characters' }),
}));

builder.queryField('apiTokens', (t) =>
  t.field({
    type: [ApiTokenRef],
    // Nullable so that a CLIENT token's refusal nulls only this field, not the rest of the query.
    nullable: true,
    authScopes: { admin: true },
    description: 'Every token minted, revoked ones included, by id: role, workspace, label, when created, last used and revoked; never the secret or its hash. ADMIN tokens only (null with FORBIDDEN otherwise)',
    resolve: (_r, _a, ctx) => apiTokens(ctx),
  }),
);

builder.mutationFields((t) => ({
  issueApiToken: t.field({
    type: IssuedApiTokenRef,
    authScopes: { admin: true },
    description: 'Mint a bearer token and answer it with its id and record. The token is shown once and stored hashed. A CLIENT token needs the workspace it sees; an unknown workspace is refused (BAD_USER_INPUT). ADMIN tokens only',
    args: mintArgs,
    resolve: (_r, args, ctx) => issueApiToken(ctx, args),
  }),
  createApiToken: t.string({
    authScopes: { admin: true },
    description: 'Mint a bearer token and answer the token alone (shown once, stored hashed). Checked like issueApiToken. ADMIN tokens only',
    deprecationReason: 'Use issueApiToken: the same token, with the id revokeApiToken needs',
    args: mintArgs,
    resolve: async (_r, args, ctx) => (await issueApiToken(ctx, args)).token,
  }),
  revokeApiToken: t.boolean({
    authScopes: { admin: true },
    description: 'Revoke a token: from now on requests with it get HTTP 401. Answers false when there is no such token or it was revoked already. ADMIN tokens only',
    args: { id: t.arg.int({ required: true, description: 'The token\'s id (apiTokens, issueApiToken)' }) },
    resolve: (_r, { id }, ctx) => revokeApiToken(ctx, id),
  }),
}));
