/**
 * The Pothos builder: plugins, scalars, auth scopes and the context type. It defines no types;
 * each domain file under src/schema adds its own, and index.ts assembles the schema.
 */
import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import RelayPlugin from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from './context';

export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  Scalars: { DateTime: { Input: Date; Output: Date | number | string } };
  AuthScopes: {
    /** ADMIN token. */
    admin: boolean;
    /** Any valid token (ADMIN or CLIENT). */
    authenticated: boolean;
  };
  DefaultFieldNullability: false;
}>({
  plugins: [ScopeAuthPlugin, RelayPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: (ctx) => ({
      admin: ctx.principal.role === 'ADMIN',
      authenticated: true,
    }),
    unauthorizedError: (_parent, _ctx, info) =>
      new GraphQLError(`Not allowed to read ${info.parentType.name}.${info.fieldName} with this token`, {
        extensions: { code: 'FORBIDDEN' },
      }),
  },
  relay: {
    cursorType: 'String',
    nodeQueryOptions: false,
    nodesQueryOptions: false,
  },
});

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
