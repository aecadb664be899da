/**
 * The KPI dashboard computed by hand from the simulator's ledger, for the gateway tests to compare
 * with. Windows are written out literally per scenario (never derived with src/resolvers/calendar),
 * and every number follows "What the numbers mean" in DESIGN.md.
 */
import { expect } from 'vitest';
import type { Simulator } from '../../src/simulator';
import type { TestGateway } from '../support/gateway';

export interface Window { start: string; end: string }

/** One instant with its business calendar, written out by hand. */
export interface KpiScenario {
  /** The instant the clock is set to. */
  at: string;
  /** Business "today" at that instant, in BUSINESS_TIMEZONE. */
  today: string;
  daysElapsed: number;
  daysInMonth: number;
  windows: { mtd: Window; last7: Window; prev7: Window; last14: Window; last30: Window; lastMonth: Window };
}

export interface ExpectedRow {
  workspaceId: number;
  name: string;
  leadsGenerated: number;
  monthlyKpi: number;
  projectedReplies: number;
  currentProgress: number;
  repliesProgress: number;
  positiveRepliesLast7Days: number;
  positiveRepliesLast14Days: number;
  positiveRepliesLast30Days: number;
  positiveRepliesLastMonth: number;
  weekOverWeekChange: number | null;
  emailsSent: number;
  bounced: number;
  status: 'ABOVE' | 'ON_TRACK' | 'BELOW';
}

/** The registry's view of a client, as the `clients` query returns it. */
export interface RegistryClient { workspaceId: number; name: string; displayName: string | null; active: boolean; monthlyKpiTarget: number }

export const KPI_ROW_FIELDS = `workspaceId name leadsGenerated monthlyKpi projectedReplies currentProgress repliesProgress
  positiveRepliesLast7Days positiveRepliesLast14Days positiveRepliesLast30Days positiveRepliesLastMonth
  weekOverWeekChange emailsSent bounced status`;
export const KPI_TOTALS_FIELDS = `clients leadsGenerated monthlyKpi projectedReplies currentProgress repliesProgress
  positiveRepliesLast7Days positiveRepliesLast14Days positiveRepliesLast30Days positiveRepliesLastMonth
  emailsSent bounced clientsAbove clientsOnTrack clientsBelow`;
export const KPI_QUERY = `{ kpi { clients { ${KPI_ROW_FIELDS} } totals { ${KPI_TOTALS_FIELDS} } errors { workspaceId code message } } }`;

/** The registry read back through GraphQL (the demo seed is not recomputed here). */
export async function registryClients(t: TestGateway): Promise<RegistryClient[]> {
  const res = await t.query<{ clients: RegistryClient[] }>('{ clients { workspaceId name displayName active monthlyKpiTarget } }');
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return res.body.data!.clients;
}

export function expectedRow(sim: Simulator, client: RegistryClient, s: KpiScenario): ExpectedRow {
  const w = (win: Window) => sim.world.window(client.workspaceId, win.start, win.end);
  const mtd = w(s.windows.mtd);
  const last7 = w(s.windows.last7).interested;
  const prev7 = w(s.windows.prev7).interested;
  const leads = mtd.interested;
  const kpi = client.monthlyKpiTarget;
  const projected = Math.round((leads / s.daysElapsed) * s.daysInMonth);
  return {
    workspaceId: client.workspaceId,
    name: client.displayName?.trim() || client.name,
    leadsGenerated: leads,
    monthlyKpi: kpi,
    projectedReplies: projected,
    currentProgress: kpi > 0 ? leads / kpi : 0,
    repliesProgress: kpi > 0 ? projected / kpi : 0,
    positiveRepliesLast7Days: last7,
    positiveRepliesLast14Days: w(s.windows.last14).interested,
    positiveRepliesLast30Days: w(s.windows.last30).interested,
    positiveRepliesLastMonth: w(s.windows.lastMonth).interested,
    weekOverWeekChange: prev7 > 0 ? (last7 - prev7) / prev7 : null,
    emailsSent: mtd.sent,
    bounced: mtd.bounced,
    status: leads >= kpi ? 'ABOVE' : projected >= kpi ? 'ON_TRACK' : 'BELOW',
  };
}

export function expectedTotals(rows: ExpectedRow[]) {
  const add = (list: ExpectedRow[], f: (r: ExpectedRow) => number) => list.reduce((n, r) => n + f(r), 0);
  const targeted = rows.filter((r) => r.monthlyKpi > 0);
  const targets = add(targeted, (r) => r.monthlyKpi);
  return {
    clients: rows.length,
    leadsGenerated: add(rows, (r) => r.leadsGenerated),
    monthlyKpi: targets,
    projectedReplies: add(rows, (r) => r.projectedReplies),
    currentProgress: targets > 0 ? add(targeted, (r) => r.leadsGenerated) / targets : 0,
    repliesProgress: targets > 0 ? add(targeted, (r) => r.projectedReplies) / targets : 0,
    positiveRepliesLast7Days: add(rows, (r) => r.positiveRepliesLast7Days),
    positiveRepliesLast14Days: add(rows, (r) => r.positiveRepliesLast14Days),
    positiveRepliesLast30Days: add(rows, (r) => r.positiveRepliesLast30Days),
    positiveRepliesLastMonth: add(rows, (r) => r.positiveRepliesLastMonth),
    emailsSent: add(rows, (r) => r.emailsSent),
    bounced: add(rows, (r) => r.bounced),
    clientsAbove: rows.filter((r) => r.status === 'ABOVE').length,
    clientsOnTrack: rows.filter((r) => r.status === 'ON_TRACK').length,
    clientsBelow: rows.filter((r) => r.status === 'BELOW').length,
  };
}

/** Ratios are compared to 12 decimals (same formula, maybe another order of float operations). */
export function expectSameNumbers(actual: Record<string, unknown>, expected: Record<string, unknown>, where: string): void {
  for (const [field, want] of Object.entries(expected)) {
    const got = actual[field];
    if (typeof want === 'number' && !Number.isInteger(want)) expect(got, `${where}.${field}`).toBeCloseTo(want, 12);
    else expect(got, `${where}.${field}`).toEqual(want);
  }
}

/**
 * Asks the gateway for the whole KPI dashboard (the clock already at `s.at`) and checks every row
 * and total against the ledger. Returns the expected rows for further checks.
 */
export async function expectKpiMatchesLedger(t: TestGateway, s: KpiScenario): Promise<ExpectedRow[]> {
  const clients = (await registryClients(t)).filter((c) => c.active);
  const res = await t.query(KPI_QUERY);
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  const kpi = res.body.data.kpi;
  expect(kpi.errors).toEqual([]);
  const expected = clients.map((c) => expectedRow(t.sim, c, s));
  expect(kpi.clients.map((r: ExpectedRow) => r.workspaceId).sort()).toEqual(expected.map((r) => r.workspaceId).sort());
  for (const want of expected) {
    const got = kpi.clients.find((r: ExpectedRow) => r.workspaceId === want.workspaceId);
    expectSameNumbers(got, { ...want }, `${s.at} workspace ${want.workspaceId}`);
  }
  expectSameNumbers(kpi.totals, expectedTotals(expected), `${s.at} totals`);
  return expected;
}
