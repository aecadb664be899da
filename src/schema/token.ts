/** The gateway's own bearer tokens (ADMIN only): minted once, stored hashed, revocable. */
import { ROLES } from '../access';
import { createApiToken, revokeApiToken } from '../resolvers/registry';
import { builder } from './builder';

export const Role = builder.enumType('Role', { values: ROLES });

builder.mutationFields((t) => ({
  createApiToken: t.string({
    authScopes: { admin: true },
    description: 'Mint a bearer token. It is shown once and stored hashed. CLIENT tokens need a workspaceId.',
    args: { role: t.arg({ type: Role, required: true }), workspaceId: t.arg.int({ required: false }), label: t.arg.string({ required: false }) },
    resolve: (_r, args, ctx) => createApiToken(ctx, args),
  }),
  revokeApiToken: t.boolean({
    authScopes: { admin: true },
    args: { id: t.arg.int({ required: true }) },
    resolve: (_r, { id }, ctx) => revokeApiToken(ctx, id),
  }),
}));
