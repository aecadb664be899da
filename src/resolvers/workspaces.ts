/**
 * `workspaces`: the Email Bison workspaces the caller may see, joined with the registry (is it a
 * client, is it on the dashboards). Served from the cached workspace list; if that cannot be
 * read, from the registry alone, with the freshness saying so.
 */
import { maySeeWorkspace } from '../access';
import type { Freshness } from '../sources/freshness';
import { clientName } from './arithmetic/common';
import type { GatewayContext } from './context';

export interface WorkspaceRow {
  workspaceId: number;
  name: string;
  isClient: boolean;
  active: boolean;
  freshness: Freshness;
}

/** Said when the registry cannot be read: the clients shown are the active ones this replica last read. */
export const REGISTRY_UNREACHABLE = 'the registry database is unreachable: clients are the active ones last read';

export async function workspaces(ctx: GatewayContext): Promise<WorkspaceRow[]> {
  const [read, registered] = await Promise.all([
    ctx.data.read({ kind: 'workspaces' }),
    ctx.services.registry.list().catch(() => null),
  ]);
  const clients = registered ?? (await ctx.data.clients());
  const judged = ctx.data.judge([{ meta: read.meta, ttlMs: ctx.services.freshness.resourceTtlMs('workspaces') }]);
  const freshness = registered ? judged : { ...judged, message: [judged.message, REGISTRY_UNREACHABLE].filter(Boolean).join('; ') };
  const byId = new Map(clients.map((c) => [c.workspaceId, c]));
  const upstream = (read.value ?? []).filter((w) => !w.personal_team);
  const ids = new Set([...upstream.map((w) => w.id), ...clients.map((c) => c.workspaceId)]);
  const names = new Map(upstream.map((w) => [w.id, w.name]));
  return [...ids]
    .filter((id) => maySeeWorkspace(ctx.principal, id))
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
}
