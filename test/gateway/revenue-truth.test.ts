/**
 * Revenue dashboard against the simulator's truth, this month and a past month: leads from the
 * month's stats window, per-lead and retainer billing, costs from connected mailboxes' prices
 * (with a manual per-mailbox override) unless a manual monthly cost is recorded, profit, margin,
 * KPI progress, ranks and totals. Expected figures come from DESIGN.md's rules and `sim.world`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestGateway } from '../support/gateway';
import { createTruthGateway, DAYS_ELAPSED, DAYS_IN_MONTH, nameOf, TRUTH_CLIENTS, type TruthClient } from './volume-revenue-world';
import { expectedMailboxes, type Override } from './infrastructure-truth';

const ROW = `workspaceId name billingType leads revenue costs costSource profit profitMargin kpiProgress monthlyKpi
  possibleRevenue projectedRevenue rank warnings { rule } freshness { state }`;
const QUERY = `query($month: String) { revenue(month: $month) { month clients { ${ROW} }
  totals { clients leads revenue costs profit profitMargin projectedRevenue possibleRevenue revenueGap } errors { workspaceId code } } }`;

/** A connected ScaledMail mailbox of workspace 3 gets a hand-set price and limit. */
const OVERRIDE_WORKSPACE = 3;
const OVERRIDE: Override = { price: 7.5, dailyLimit: 33 };
/** Workspace 22's September cost was recorded by hand. */
const MANUAL = { workspaceId: 22, month: '2026-09', amount: 1234.5 };

interface Expected {
  workspaceId: number; name: string; billingType: string; leads: number; revenue: number; costs: number; costSource: string;
  profit: number; profitMargin: number | null; kpiProgress: number; monthlyKpi: number; possibleRevenue: number; projectedRevenue: number;
}

describe('revenue dashboard against the simulator truth', () => {
  let t: TestGateway;
  let overrides: Map<number, Override>;

  beforeAll(async () => {
    t = await createTruthGateway();
    const target = t.sim.world.mailboxes(OVERRIDE_WORKSPACE)
      .find((m) => m.status === 'Connected' && m.tags.some((tag) => tag.name === 'ScaledMail'))!;
    overrides = new Map([[target.id, OVERRIDE]]);
    const set = await t.query(`mutation { setMailboxOverride(senderEmailId: ${target.id}, price: 7.5, dailyLimit: 33) { senderEmailId }
      setMonthlyCost(workspaceId: ${MANUAL.workspaceId}, month: "${MANUAL.month}", amount: ${MANUAL.amount}) { amount } }`);
    expect(set.body.errors).toBeUndefined();
  });
  afterAll(() => t.close());

  /** $ a month of the workspace's connected mailboxes, priced by DESIGN's rules. */
  const mailboxCost = (ws: number) => expectedMailboxes(ws, t.sim.world.mailboxes(ws), overrides)
    .filter((m) => m.connected).reduce((a, m) => a + m.price, 0);

  function expectedRow(c: TruthClient, month: string, start: string, end: string, current: boolean): Expected {
    const leads = t.sim.world.window(c.workspaceId, start, end).interested;
    const retainer = c.billingType === 'RETAINER';
    const revenue = retainer ? c.retainerAmount : leads * c.pricePerLead;
    const manual = c.workspaceId === MANUAL.workspaceId && month === MANUAL.month;
    const costs = manual ? MANUAL.amount : mailboxCost(c.workspaceId);
    return {
      workspaceId: c.workspaceId,
      name: nameOf(t, c.workspaceId),
      billingType: c.billingType,
      leads,
      revenue,
      costs,
      costSource: manual ? 'MANUAL' : 'MAILBOXES',
      profit: revenue - costs,
      profitMargin: revenue === 0 ? null : ((revenue - costs) / revenue) * 100,
      kpiProgress: c.monthlyKpiTarget > 0 ? leads / c.monthlyKpiTarget : 0,
      monthlyKpi: c.monthlyKpiTarget,
      possibleRevenue: retainer ? c.retainerAmount : c.monthlyKpiTarget * c.pricePerLead,
      // A retainer is the month's amount already; per-lead revenue is projected at the current pace.
      projectedRevenue: current && !retainer ? (revenue / DAYS_ELAPSED) * DAYS_IN_MONTH : revenue,
    };
  }

  const cents = (dollars: number) => Math.round(dollars * 100) / 100;

  function compare(dashboard: any, expected: Expected[]): void {
    expect(dashboard.errors).toEqual([]);
    const order = [...expected].sort((a, b) => b.revenue - a.revenue || a.name.localeCompare(b.name));
    expect(dashboard.clients.map((r: any) => r.workspaceId)).toEqual(order.map((r) => r.workspaceId));
    expect(dashboard.clients.map((r: any) => r.rank)).toEqual([1, 2, 3, 4, 5]);
    for (const want of expected) {
      const row = dashboard.clients.find((r: any) => r.workspaceId === want.workspaceId);
      const { revenue, costs, profit, profitMargin, kpiProgress, projectedRevenue, ...exact } = want;
      expect(row).toMatchObject(exact);
      // Dollars are served to the cent, rounded from full precision.
      for (const [field, value] of Object.entries({ revenue, costs, profit, projectedRevenue })) {
        expect(row[field], `${field} of ${want.workspaceId}`).toBe(cents(value));
      }
      expect(row.kpiProgress).toBeCloseTo(kpiProgress, 6);
      if (profitMargin === null) expect(row.profitMargin).toBeNull();
      else expect(row.profitMargin).toBeCloseTo(profitMargin, 6);
      const rules = row.warnings.map((w: any) => w.rule);
      // A loss is flagged, also when there is no revenue to take a margin of.
      expect(rules.includes('NEGATIVE_MARGIN')).toBe(profit < 0);
      expect(rules.includes('LOW_MARGIN')).toBe(profitMargin !== null && profitMargin >= 0 && profitMargin < 20);
    }
    const sum = (f: (r: Expected) => number) => expected.reduce((a, r) => a + f(r), 0);
    const revenue = sum((r) => r.revenue);
    const possible = sum((r) => r.possibleRevenue);
    expect(dashboard.totals.clients).toBe(5);
    expect(dashboard.totals.leads).toBe(sum((r) => r.leads));
    // Totals are summed at full precision, then rounded: not a sum of rounded rows.
    expect(dashboard.totals.revenue).toBe(cents(revenue));
    expect(dashboard.totals.costs).toBe(cents(sum((r) => r.costs)));
    expect(dashboard.totals.profit).toBe(cents(revenue - sum((r) => r.costs)));
    expect(dashboard.totals.profitMargin).toBeCloseTo(((revenue - sum((r) => r.costs)) / revenue) * 100, 6);
    expect(dashboard.totals.projectedRevenue).toBe(cents(sum((r) => r.projectedRevenue)));
    expect(dashboard.totals.possibleRevenue).toBe(cents(possible));
    expect(dashboard.totals.revenueGap).toBe(cents(possible - revenue));
  }

  it('this month: month-to-date leads, mailbox costs with the override, projections', async () => {
    const res = await t.query(QUERY);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.revenue.month).toBe('2026-11');
    const expected = TRUTH_CLIENTS.map((c) => expectedRow(c, '2026-11', '2026-11-01', '2026-11-20', true));
    compare(res.body.data.revenue, expected);
    // The override changed workspace 3's cost: ScaledMail's rule price would differ from $7.50.
    const rulePrice = expectedMailboxes(OVERRIDE_WORKSPACE, t.sim.world.mailboxes(OVERRIDE_WORKSPACE)).find((m) => overrides.has(m.id))!.price;
    expect(rulePrice).not.toBe(OVERRIDE.price);
    // The paused client earned nothing: its margin is null, not a division by zero.
    const paused = res.body.data.revenue.clients.find((r: any) => r.workspaceId === 20);
    expect(paused.revenue).toBe(0);
    expect(paused.profitMargin).toBeNull();
    // The retainer client earns its retainer whatever its leads.
    expect(res.body.data.revenue.clients.find((r: any) => r.workspaceId === 12).revenue).toBe(3000);
  });

  it('a past month: the whole month window, the manual cost wins, no projection', async () => {
    const res = await t.query(QUERY, { month: '2026-09' });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.revenue.month).toBe('2026-09');
    const expected = TRUTH_CLIENTS.map((c) => expectedRow(c, '2026-09', '2026-09-01', '2026-09-30', false));
    compare(res.body.data.revenue, expected);
    const willow = res.body.data.revenue.clients.find((r: any) => r.workspaceId === MANUAL.workspaceId);
    expect(willow).toMatchObject({ costs: MANUAL.amount, costSource: 'MANUAL' });
  });

  it('refuses a future month and a malformed month with BAD_USER_INPUT', async () => {
    for (const month of ['2026-12', '2027-01', '2026-13', 'nov', '2026-1']) {
      const res = await t.query(QUERY, { month });
      expect(res.body.errors?.[0]?.extensions?.code, month).toBe('BAD_USER_INPUT');
      expect(res.body.data?.revenue ?? null).toBeNull();
    }
  });

  it('is ADMIN only: a CLIENT token gets FORBIDDEN, also for the cost mutations', async () => {
    const minted = await t.query('mutation { createApiToken(role: CLIENT, workspaceId: 3, label: "revenue test") }');
    const token = minted.body.data.createApiToken as string;
    const res = await t.query(QUERY, {}, token);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(res.body.data ?? null)).not.toContain('"revenue":{');
    const write = await t.query('mutation { setMonthlyCost(workspaceId: 3, month: "2026-11", amount: 1) { amount } }', {}, token);
    expect(write.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const override = await t.query('mutation { setMailboxOverride(senderEmailId: 1060, price: 1) { price } }', {}, token);
    expect(override.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
