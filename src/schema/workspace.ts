/** `workspaces`: the Email Bison workspaces the caller may see, joined with the registry. */
import { workspaces, type WorkspaceRow } from '../resolvers/workspaces';
import { builder } from './builder';
import { FreshnessRef } from './freshness';

const WorkspaceRef = builder.objectRef<WorkspaceRow>('Workspace').implement({
  fields: (t) => ({
    workspaceId: t.exposeInt('workspaceId'),
    name: t.exposeString('name', { description: 'Display name of the client, else the workspace name' }),
    isClient: t.exposeBoolean('isClient', { description: 'Registered as a client of the agency' }),
    active: t.exposeBoolean('active', { description: 'A client shown on the dashboards' }),
    freshness: t.field({ type: FreshnessRef, resolve: (w) => w.freshness }),
  }),
});

builder.queryField('workspaces', (t) => t.field({ type: [WorkspaceRef], resolve: (_r, _a, ctx) => workspaces(ctx) }));
