/**
 * Demo mode: registers the simulator's client workspaces with believable targets and billing
 * (magnitudes from EMAIL_BISON.md). Deterministic in the workspace ids, and idempotent: an existing
 * client is left as the admin last set it (only a missing api key is filled in).
 */
import type { Registry } from './registry';
import type { ClientInput } from './types';

export interface DemoWorkspace { id: number; name: string; personal_team: boolean }

const KPI_LEVELS = [50, 100, 200, 300];
/** Positions (in id order) of the clients that have no KPI target, to exercise that warning. */
const WITHOUT_KPI = new Set([5, 18]);
/** Every 7th client from the 4th on pays a retainer: about 4 of 27. */
const isRetainer = (index: number) => index % 7 === 3;

export function demoClientInput(workspace: DemoWorkspace, index: number): ClientInput {
  const kpi = WITHOUT_KPI.has(index) ? 0 : KPI_LEVELS[(workspace.id * 7 + index) % KPI_LEVELS.length];
  // Clients without a KPI target still send, so they still appear on the volume dashboard.
  const sendingBasis = kpi || 100;
  const retainer = isRetainer(index);
  return {
    workspaceId: workspace.id,
    name: workspace.name,
    active: true,
    billingType: retainer ? 'RETAINER' : 'PER_LEAD',
    pricePerLead: retainer ? 0 : 25 + ((workspace.id * 13) % 8) * 5, // 25..60 $/lead
    retainerAmount: retainer ? 2000 + ((workspace.id * 37) % 9) * 500 : 0, // 2,000..6,000 $/month
    monthlyKpiTarget: kpi,
    monthlySendingTarget: sendingBasis * 455,
    dailySendingTarget: (sendingBasis / 100) * 1750,
  };
}

/** Returns how many clients were created by this call. */
export async function seedDemoClients(registry: Registry, workspaces: DemoWorkspace[], apiKeys?: Map<number, string>): Promise<number> {
  const clients = workspaces.filter((w) => !w.personal_team).sort((a, b) => a.id - b.id);
  let created = 0;
  for (const [index, workspace] of clients.entries()) {
    const apiKey = apiKeys?.get(workspace.id);
    const existing = await registry.get(workspace.id);
    if (!existing) {
      await registry.upsert({ ...demoClientInput(workspace, index), ...(apiKey ? { apiKey } : {}) });
      created++;
    } else if (apiKey && !existing.hasApiKey) {
      await registry.upsert({ workspaceId: workspace.id, apiKey });
    }
  }
  return created;
}
