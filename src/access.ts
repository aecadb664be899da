/**
 * Who may see what: the one access rule of the gateway. An ADMIN token sees every workspace and
 * every dashboard; a CLIENT token is bound to one workspace, sees only that workspace's rows and
 * never revenue. Everything that scopes data (Pothos auth scopes, the client directory, cache
 * statistics, subscriptions, health) asks these functions; nothing else compares roles.
 */
import type { DashboardKind } from './sources/freshness';

export type Role = 'ADMIN' | 'CLIENT';

export const ROLES: readonly Role[] = ['ADMIN', 'CLIENT'];

export interface Principal {
  role: Role;
  /** null for the bootstrap admin token (GATEWAY_ADMIN_TOKEN). */
  tokenId: number | null;
  /** The one workspace a CLIENT token may see; null for admins. */
  workspaceId: number | null;
}

export function isAdmin(principal: Principal): boolean {
  return principal.role === 'ADMIN';
}

/**
 * May this principal see data of `workspaceId`? `null` means instance-wide facts (the workspace
 * list, breakers not bound to a workspace): those are for admins only.
 */
export function maySeeWorkspace(principal: Principal, workspaceId: number | null): boolean {
  return isAdmin(principal) || (workspaceId !== null && workspaceId === principal.workspaceId);
}

/** The items of `items` this principal may see, by their workspace. */
export function visibleTo<T extends { workspaceId: number | null }>(principal: Principal, items: readonly T[]): T[] {
  return isAdmin(principal) ? [...items] : items.filter((item) => maySeeWorkspace(principal, item.workspaceId));
}

/** Revenue is the agency's own business: ADMIN only. Every other dashboard is scoped by workspace. */
export function mayReadDashboard(principal: Principal, dashboard: DashboardKind): boolean {
  return dashboard !== 'REVENUE' || isAdmin(principal);
}

/**
 * What this principal may see, as a name: two principals with the same scope see exactly the same
 * data (every ADMIN token; the CLIENT tokens of one workspace), so an answer built for one may be
 * given to the other, and never to another scope (the response cache keys on it).
 */
export function scopeOf(principal: Principal): string {
  return isAdmin(principal) ? 'ADMIN' : `CLIENT:${principal.workspaceId}`;
}
