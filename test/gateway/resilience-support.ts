/**
 * Small helpers shared by the gateway-level cache and resilience suites (resilience*, webhooks,
 * cache-admin): the queries they send, the resources a dashboard should cost, and a wait for
 * background refreshes to land (real-time polling of state, never a sleep for a TTL).
 */
import { vi } from 'vitest';
import type { DashboardKind } from '../../src/sources/freshness';
import { calendarFor } from '../../src/resolvers/arithmetic/calendar';
import { dashboardResources } from '../../src/resolvers/plans';
import { resourceKey } from '../../src/sources/resources';
import type { TestGateway } from '../support/gateway';

export const FRESHNESS = 'freshness { state origin fetchedAt ageSeconds refreshing nextRefreshAt message }';

export const KPI_QUERY = `{
  kpi {
    ${FRESHNESS}
    clients { workspaceId leadsGenerated ${FRESHNESS} }
    errors { workspaceId code message retryable }
  }
}`;

export interface FreshnessAnswer {
  state: string;
  origin: string;
  fetchedAt: string | null;
  ageSeconds: number | null;
  refreshing: boolean;
  nextRefreshAt: string | null;
  message: string | null;
}

export interface KpiAnswer {
  kpi: {
    freshness: FreshnessAnswer;
    clients: { workspaceId: number; leadsGenerated: number; freshness: FreshnessAnswer }[];
    errors: { workspaceId: number; code: string; message: string; retryable: boolean }[];
  };
}

/** Distinct cache keys one dashboard needs for these workspaces "now" (on the gateway's clock). */
export function expectedKeys(t: TestGateway, kind: DashboardKind, workspaceIds: number[]): string[] {
  const cal = calendarFor(t.clock.now(), t.config.timeZone);
  return [...new Set(workspaceIds.flatMap((ws) => dashboardResources(kind, ws, cal).map(resourceKey)))];
}

/** Workspaces of the active clients (what the dashboards show to an ADMIN). */
export async function clientWorkspaces(t: TestGateway): Promise<number[]> {
  return (await t.gateway.services.registry.list({ activeOnly: true })).map((c) => c.workspaceId).sort((a, b) => a - b);
}

/** Waits until no cache entry has a refresh in flight (background refreshes landed or failed). */
export async function settled(t: TestGateway, timeout = 15_000): Promise<void> {
  await vi.waitFor(async () => {
    const busy = (await t.gateway.services.cache.entries()).filter((e) => e.state === 'updating');
    if (busy.length) throw new Error(`still refreshing: ${busy.map((e) => e.key).join(', ')}`);
  }, { timeout, interval: 10 });
}

/** Upstream calls per workspace since the last `resetCounters`. */
export function callsByWorkspace(t: TestGateway): Record<string, number> {
  return { ...t.sim.control.counters().byWorkspace };
}

export const iso = (ms: number) => new Date(ms).toISOString();
