/**
 * The Pothos builder: plugins, scalars, auth scopes and the context type. It defines no types;
 * each domain file under src/schema adds its own, and index.ts assembles the schema.
 *
 * Auth scopes are the schema's face of src/access.ts, the one access rule: `admin`, `workspace`
 * (this workspace is visible to the token) and `dashboard` (this dashboard may be read).
 */
import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import RelayPlugin from '@pothos/plugin-relay';
import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { isAdmin, mayReadDashboard, maySeeWorkspace } from '../access';
import type { GatewayContext } from '../resolvers/context';
import type { DashboardKind } from '../sources/freshness';

export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  Scalars: { DateTime: { Input: Date; Output: Date | number | string } };
  AuthScopes: {
    /** ADMIN token. */
    admin: boolean;
    /** Any valid token (ADMIN or CLIENT). */
    authenticated: boolean;
    /** The token may see this workspace's data. */
    workspace: number;
    /** The token may read this dashboard. */
    dashboard: DashboardKind;
  };
  DefaultFieldNullability: false;
}>({
  plugins: [ScopeAuthPlugin, RelayPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: (ctx) => ({
      admin: isAdmin(ctx.principal),
      authenticated: true,
      workspace: (workspaceId) => maySeeWorkspace(ctx.principal, workspaceId),
      dashboard: (dashboard) => mayReadDashboard(ctx.principal, dashboard),
    }),
    unauthorizedError: (_parent, _ctx, info) => new GraphQLError(refusal(info), { extensions: { code: 'FORBIDDEN' } }),
  },
  relay: {
    cursorType: 'String',
    nodeQueryOptions: false,
    nodesQueryOptions: false,
  },
});

/** "This token may not call clearCache": what was refused, in the words of the operation. */
function refusal(info: GraphQLResolveInfo): string {
  const { name } = info.parentType;
  if (name === 'Mutation') return `This token may not call ${info.fieldName}`;
  if (name === 'Subscription') return `This token may not subscribe to ${info.fieldName}`;
  return `This token may not read ${name}.${info.fieldName}`;
}

builder.scalarType('DateTime', {
  description: 'ISO-8601 timestamp in UTC',
  serialize: (value) => new Date(value).toISOString(),
  parseValue: (value) => {
    const d = new Date(String(value));
    if (typeof value !== 'string' || Number.isNaN(d.getTime())) {
      throw new GraphQLError('DateTime wants an ISO-8601 string', { extensions: { code: 'BAD_USER_INPUT' } });
    }
    return d;
  },
});

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
