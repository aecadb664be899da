/**
 * The seeded world the volume, revenue and infrastructure truth tests share: a small simulator
 * (root team + 5 clients) whose clients get targets and billing set here, by the test, so every
 * expected figure follows from these constants and the simulator's own truth (`sim.world`).
 *
 * Clients (2026-11-20 is "today": day 20 of a 30-day month):
 *   3  Apex Capital      PER_LEAD $40, KPI 100, 45,500 / 1,750 emails
 *   12 Lumen Staffing    RETAINER $3,000, KPI 50, 22,750 / 875 emails
 *   20 Oakridge Software PER_LEAD $30, KPI 200, NO sending target (paused: sends nothing)
 *   22 Willow Labs       PER_LEAD $55, KPI 300, 136,500 / 5,250 emails (manual cost for 2026-09)
 *   39 Evergreen Media   PER_LEAD $25, no KPI target, 22,750 / 875 emails
 */
import { createTestGateway, type TestGateway } from '../support/gateway';

export interface TruthClient {
  workspaceId: number;
  billingType: 'PER_LEAD' | 'RETAINER';
  pricePerLead: number;
  retainerAmount: number;
  monthlyKpiTarget: number;
  monthlySendingTarget: number;
  dailySendingTarget: number;
}

export const TRUTH_WORLD = { workspaces: 6, mailboxes: 1500 } as const;

export const TRUTH_CLIENTS: TruthClient[] = [
  { workspaceId: 3, billingType: 'PER_LEAD', pricePerLead: 40, retainerAmount: 0, monthlyKpiTarget: 100, monthlySendingTarget: 45_500, dailySendingTarget: 1_750 },
  { workspaceId: 12, billingType: 'RETAINER', pricePerLead: 0, retainerAmount: 3_000, monthlyKpiTarget: 50, monthlySendingTarget: 22_750, dailySendingTarget: 875 },
  { workspaceId: 20, billingType: 'PER_LEAD', pricePerLead: 30, retainerAmount: 0, monthlyKpiTarget: 200, monthlySendingTarget: 0, dailySendingTarget: 0 },
  { workspaceId: 22, billingType: 'PER_LEAD', pricePerLead: 55, retainerAmount: 0, monthlyKpiTarget: 300, monthlySendingTarget: 136_500, dailySendingTarget: 5_250 },
  { workspaceId: 39, billingType: 'PER_LEAD', pricePerLead: 25, retainerAmount: 0, monthlyKpiTarget: 0, monthlySendingTarget: 22_750, dailySendingTarget: 875 },
];

export const TODAY = '2026-11-20';
export const DAYS_ELAPSED = 20;
export const DAYS_IN_MONTH = 30;

/** A gateway over the truth world with the clients above registered through GraphQL. */
export async function createTruthGateway(): Promise<TestGateway> {
  const t = await createTestGateway({ sim: TRUTH_WORLD });
  const clientIds = t.sim.world.workspaces.filter((w) => !w.personal_team).map((w) => w.id);
  if (clientIds.join() !== TRUTH_CLIENTS.map((c) => c.workspaceId).join()) {
    throw new Error(`the seeded world changed: client workspaces are ${clientIds.join(', ')}; update TRUTH_CLIENTS`);
  }
  for (const input of TRUTH_CLIENTS) {
    const res = await t.query('mutation($input: ClientInput!) { upsertClient(input: $input) { workspaceId } }', { input: { ...input, active: true } });
    if (res.body.errors) throw new Error(`upsertClient failed: ${JSON.stringify(res.body.errors)}`);
  }
  return t;
}

export const nameOf = (t: TestGateway, workspaceId: number) => t.sim.world.workspace(workspaceId)!.name;
