/**
 * The Pothos builder: plugins, scalars, auth scopes and the context type. It defines no types;
 * each domain file under src/schema adds its own, and index.ts assembles the schema.
 *
 * Auth scopes are the schema's face of src/access.ts, the one access rule: `admin`, `workspace`
 * (this workspace is visible to the token) and `dashboard` (this dashboard may be read).
 */
import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin, { AuthScopeFailureType, type AuthFailure } from '@pothos/plugin-scope-auth';
import RelayPlugin from '@pothos/plugin-relay';
import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { isAdmin, mayReadDashboard, maySeeWorkspace, type Principal } from '../access';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PAGE_SIZE_RANGE } from '../resolvers/arithmetic/mailbox-pagination';
import type { GatewayContext } from '../resolvers/context';
import type { DashboardKind } from '../sources/freshness';

export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  Scalars: { DateTime: { Input: Date; Output: Date | number | string } };
  AuthScopes: {
    /** ADMIN token. */
    admin: boolean;
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
      workspace: (workspaceId) => maySeeWorkspace(ctx.principal, workspaceId),
      dashboard: (dashboard) => mayReadDashboard(ctx.principal, dashboard),
    }),
    unauthorizedError: (_parent, ctx, info, result) =>
      new GraphQLError(refusal(info, reasonOf(result.failure, ctx.principal)), { extensions: { code: 'FORBIDDEN' } }),
  },
  // The Relay plugin builds the connection types and arguments; these describe them.
  relay: {
    cursorType: 'String',
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    pageInfoTypeOptions: { description: 'Where a page of a Relay connection sits in the whole list' },
    hasNextPageFieldOptions: { description: 'More items follow this page (whichever direction it was asked in)' },
    hasPreviousPageFieldOptions: { description: 'Items come before this page (whichever direction it was asked in)' },
    startCursorFieldOptions: { description: 'Cursor of the first item of the page (pass it as `before` for the page before); null when the page is empty' },
    endCursorFieldOptions: { description: 'Cursor of the last item of the page (pass it as `after` for the page after); null when the page is empty' },
    edgesFieldOptions: { description: 'The items of this page, in list order, each with its cursor' },
    pageInfoFieldOptions: { description: 'Whether more pages lie before or after this one, and the cursors to reach them' },
    cursorFieldOptions: { description: 'Opaque position of this item: pass it as `after` or `before`' },
    nodeFieldOptions: { description: 'The item' },
    firstArgOptions: {
      description: `Page size from the start of the list (after \`after\`): 0 to ${MAX_PAGE_SIZE}; default ${DEFAULT_PAGE_SIZE} when neither \`first\` nor \`last\` is given`,
      extensions: { range: PAGE_SIZE_RANGE },
    },
    lastArgOptions: {
      description: `Page size from the end of the list (before \`before\`): 0 to ${MAX_PAGE_SIZE}; for paging backward`,
      extensions: { range: PAGE_SIZE_RANGE },
    },
    afterArgOptions: { description: 'Start after this cursor (an `endCursor` or edge `cursor` of an earlier page)' },
    beforeArgOptions: { description: 'End before this cursor (a `startCursor` or edge `cursor` of a later page)' },
  },
});

/** "This token may not call clearCache: ADMIN tokens only": what was refused, in the words of the operation. */
function refusal(info: GraphQLResolveInfo, reason: string | null): string {
  const { name } = info.parentType;
  const what = name === 'Mutation' ? `call ${info.fieldName}`
    : name === 'Subscription' ? `subscribe to ${info.fieldName}`
      : name === 'Query' ? `read ${info.fieldName}` : `read ${name}.${info.fieldName}`;
  return `This token may not ${what}${reason ? `: ${reason}` : ''}`;
}

/** Why a scope refused, in the caller's terms (the rule itself is src/access.ts). */
function reasonOf(failure: AuthFailure, principal: Principal): string | null {
  switch (failure.kind) {
    case AuthScopeFailureType.AuthScope:
      if (failure.scope === 'admin') return 'ADMIN tokens only';
      if (failure.scope === 'dashboard') return `the ${String(failure.parameter)} dashboard is for ADMIN tokens only`;
      if (failure.scope === 'workspace') return `this token sees workspace ${principal.workspaceId ?? 'none'} only, not ${String(failure.parameter)}`;
      return null;
    case AuthScopeFailureType.AllAuthScopes:
    case AuthScopeFailureType.AnyAuthScopes:
      return failure.failures.map((f) => reasonOf(f, principal)).find((r) => r !== null) ?? null;
    default:
      return null;
  }
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

builder.queryType({
  description: 'The dashboards and what stands behind them. Every request needs `Authorization: Bearer <token>`. An ADMIN token sees everything; a CLIENT token sees only its own workspace and never revenue or administration.',
});
builder.mutationType({
  description: 'Administration: ADMIN tokens only, except `refresh` of a CLIENT token\'s own workspace.',
});
builder.subscriptionType({
  description: 'Live data over graphql-ws or Server-Sent Events on /graphql: each subscription sends the current value first, then changes. Scoped like queries.',
});
