/**
 * `workspaces`: the Email Bison workspaces the caller may see, joined with the registry (is it a
 * client, is it on the dashboards). Served from the cached workspace list; if that cannot be
 * read, from the registry alone, with the freshness saying so.
 */
import { clientName } from '../resolvers/common';
import type { Freshness } from '../sources/freshness';
import { freshnessOf } from '../sources/freshness';
import { builder } from './builder';
import { FreshnessRef } from './freshness';

interface WorkspaceRow {
  workspaceId: number;
  name: string;
  isClient: boolean;
  active: boolean;
  freshness: Freshness;
}

const WorkspaceRef = builder.objectRef<WorkspaceRow>('Workspace').implement({
  fields: (t) => ({
    workspaceId: t.exposeInt('workspaceId'),
    name: t.exposeString('name', { description: 'Display name of the client, else the workspace name' }),
    isClient: t.exposeBoolean('isClient', { description: 'Registered as a client of the agency' }),
    active: t.exposeBoolean('active', { description: 'A client shown on the dashboards' }),
    freshness: t.field({ type: FreshnessRef, resolve: (w) => w.freshness }),
  }),
});

builder.queryField('workspaces', (t) =>
  t.field({
    type: [WorkspaceRef],
    resolve: async (_r, _a, ctx) => {
      const own = ctx.principal.role === 'CLIENT' ? ctx.principal.workspaceId : null;
      const [read, clients] = await Promise.all([
        ctx.data.read({ kind: 'workspaces' }, ctx.ttlMs('KPI')),
        ctx.services.registry.list(),
      ]);
      const freshness = freshnessOf([read.meta], ctx.now);
      const byId = new Map(clients.map((c) => [c.workspaceId, c]));
      const upstream = (read.value ?? []).filter((w) => !w.personal_team);
      const ids = new Set([...upstream.map((w) => w.id), ...clients.map((c) => c.workspaceId)]);
      const names = new Map(upstream.map((w) => [w.id, w.name]));
      return [...ids]
        .filter((id) => own === null || id === own)
        .sort((a, b) => a - b)
        .map((id) => {
          const client = byId.get(id);
          return {
            workspaceId: id,
            name: client ? clientName(client) : (names.get(id) ?? `workspace ${id}`),
            isClient: client !== undefined,
            active: client?.active ?? false,
            freshness,
          };
        });
    },
  }),
);
