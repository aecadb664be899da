/** `workspaces`: the Email Bison workspaces the caller may see, joined with the registry. */
import { workspaces, type WorkspaceRow } from '../resolvers/workspaces';
import { builder } from './builder';
import { FreshnessRef } from './freshness';

const WorkspaceRef = builder.objectRef<WorkspaceRow>('Workspace').implement({
  description: 'An Email Bison workspace (personal ones left out), and whether it is a client of the agency',
  fields: (t) => ({
    workspaceId: t.exposeInt('workspaceId', { description: 'Email Bison workspace id' }),
    name: t.exposeString('name', { description: 'Display name of the client, else the workspace name' }),
    isClient: t.exposeBoolean('isClient', { description: 'Registered as a client of the agency' }),
    active: t.exposeBoolean('active', { description: 'A client shown on the dashboards' }),
    freshness: t.field({ type: FreshnessRef, description: 'How fresh the workspace list is (the same for every row)', resolve: (w) => w.freshness }),
  }),
});

builder.queryField('workspaces', (t) => t.field({
  type: [WorkspaceRef],
  description: 'The Email Bison workspaces and registered clients, by id: what the gateway knows of, and which are on the dashboards. Any token; a CLIENT token sees its own workspace only',
  resolve: (_r, _a, ctx) => workspaces(ctx),
}));
