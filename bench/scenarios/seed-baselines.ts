/**
 * The seed's two ways of loading the KPI dashboard, re-implemented as plain fetch calls of the
 * same stats windows against the same simulator, so the cold-load figure has something honest to
 * be compared with:
 * - one workspace at a time (its windows together): the first system, 30-45 s a load;
 * - batches of 5 workspaces, each batch waiting for its slowest call: the later system, 5-8 s.
 */
import type { Simulator } from '../../src/simulator';
import { calendarFor } from '../../src/resolvers/arithmetic/calendar';
import { kpiPlan } from '../../src/resolvers/plans';

export interface SeedLoad {
  ms: number;
  calls: number;
  failures: number;
}

/** The KPI dashboard's stats calls of one workspace: URLs with its api-user key. */
export function windowsOf(sim: Simulator, workspaceId: number): { url: string; key: string }[] {
  const plan = kpiPlan(workspaceId, calendarFor(Date.now(), 'UTC'));
  const key = sim.apiKeys.get(workspaceId)!;
  return Object.values(plan).map((r) => ({ url: `${sim.url}/api/workspaces/v1.1/stats?start_date=${r.start}&end_date=${r.end}`, key }));
}

/** The client workspaces the gateway shows (every workspace but the owner's root team). */
export const clientIds = (sim: Simulator) => sim.world.workspaces.filter((w) => !w.personal_team).map((w) => w.id);

/** Loads every client's KPI windows, `batchSize` workspaces at a time (1 = one by one). */
export async function seedLoad(sim: Simulator, batchSize: number): Promise<SeedLoad> {
  const ids = clientIds(sim);
  let calls = 0;
  let failures = 0;
  const t0 = performance.now();
  for (let i = 0; i < ids.length; i += batchSize) {
    const batch = ids.slice(i, i + batchSize).flatMap((id) => windowsOf(sim, id));
    await Promise.all(batch.map(async ({ url, key }) => {
      const res = await fetch(url, { headers: { authorization: `Bearer ${key}`, accept: 'application/json' } });
      const json = (await res.json()) as { data?: { interested?: unknown } };
      calls++;
      if (res.status !== 200 || json.data?.interested === undefined) failures++;
    }));
  }
  return { ms: performance.now() - t0, calls, failures };
}
