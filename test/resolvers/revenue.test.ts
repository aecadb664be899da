import { describe, expect, it } from 'vitest';
import { calendarFor } from '../../src/resolvers/arithmetic/calendar';
import { buildRevenueDashboard, type RevenueInput } from '../../src/resolvers/arithmetic/revenue';
import { client, stats } from './fixtures';

// 2026-03-10: daysElapsed 10, daysInMonth 31.
const cal = calendarFor(Date.parse('2026-03-10T12:00:00Z'), 'UTC');

const inputs: RevenueInput[] = [
  { // 20 leads × $100 = $2000; mailbox cost $300 → profit 1700, margin 85 %
    client: client({ workspaceId: 1, name: 'PerLead', pricePerLead: 100, monthlyKpiTarget: 50 }),
    stats: stats({ interested: 20 }), mailboxCost: 300, manualCost: null,
  },
  { // retainer $5000; the manual $4500 wins over mailboxes → profit 500, margin 10 %
    client: client({ workspaceId: 2, name: 'Retainer', billingType: 'RETAINER', retainerAmount: 5000, pricePerLead: 999, monthlyKpiTarget: 40 }),
    stats: stats({ interested: 10 }), mailboxCost: 100, manualCost: 4500,
  },
  { // no leads, no target → revenue 0, margin null, progress 0
    client: client({ workspaceId: 3, name: 'Idle', pricePerLead: 50 }),
    stats: stats({ interested: 0 }), mailboxCost: 120, manualCost: null,
  },
  { // 15 × $80 = $1200; no cost data at all
    client: client({ workspaceId: 4, name: 'NoCosts', pricePerLead: 80, monthlyKpiTarget: 10 }),
    stats: stats({ interested: 15 }), mailboxCost: null, manualCost: null,
  },
];

describe('buildRevenueDashboard', () => {
  const current = buildRevenueDashboard(inputs, '2026-03', cal);
  const row = (id: number) => current.clients.find((r) => r.workspaceId === id)!;

  it('per-lead client: revenue, mailbox costs, profit, margin, KPI progress, projection', () => {
    expect(row(1)).toEqual({
      workspaceId: 1, name: 'PerLead', billingType: 'PER_LEAD', leads: 20, revenue: 2000, costs: 300, costSource: 'MAILBOXES',
      profit: 1700, profitMargin: 85, kpiProgress: 0.4, monthlyKpi: 50, possibleRevenue: 5000,
      projectedRevenue: 6200, // 2000 ÷ 10 × 31
      rank: 2,
    });
  });

  it('retainer client: revenue is the retainer, a manual cost wins, the retainer is not projected', () => {
    expect(row(2)).toMatchObject({
      revenue: 5000, costs: 4500, costSource: 'MANUAL', profit: 500, profitMargin: 10, kpiProgress: 0.25,
      possibleRevenue: 5000, projectedRevenue: 5000, rank: 1,
    });
  });

  it('no revenue: margin is null, progress 0; no cost data: costs 0', () => {
    expect(row(3)).toMatchObject({ revenue: 0, costs: 120, profit: -120, profitMargin: null, kpiProgress: 0, possibleRevenue: 0, rank: 4 });
    expect(row(4)).toMatchObject({ revenue: 1200, costs: 0, costSource: 'NONE', profitMargin: 100, kpiProgress: 1.5, projectedRevenue: 3720 });
  });

  it('ranks by revenue, highest first', () => {
    expect(current.month).toBe('2026-03');
    expect(current.clients.map((r) => [r.rank, r.workspaceId])).toEqual([[1, 2], [2, 1], [3, 4], [4, 3]]);
  });

  it('totals for the current month project per-lead revenue to month end', () => {
    expect(current.totals).toEqual({
      clients: 4, leads: 45, revenue: 8200, costs: 4920, profit: 3280,
      profitMargin: 40, // 3280 ÷ 8200
      projectedRevenue: 14_920, // 6200 + 5000 + 0 + 3720
      possibleRevenue: 10_800, // 50 × 100 + 5000 + 0 + 10 × 80
      revenueGap: 2600,
    });
  });

  it('a past month is not projected: projectedRevenue equals revenue', () => {
    const past = buildRevenueDashboard(inputs, '2026-02', cal);
    expect(past.totals.projectedRevenue).toBe(8200);
    expect(past.clients.find((r) => r.workspaceId === 1)!.projectedRevenue).toBe(2000);
  });

  it('total margin is null when nobody earned anything; a bad month is refused', () => {
    expect(buildRevenueDashboard([inputs[2]], '2026-03', cal).totals).toMatchObject({ revenue: 0, profit: -120, profitMargin: null });
    expect(() => buildRevenueDashboard(inputs, '2026-3', cal)).toThrow(/Invalid month "2026-3"/);
  });
});
