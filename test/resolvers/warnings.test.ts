import { describe, expect, it } from 'vitest';
import { calendarFor } from '../../src/resolvers/arithmetic/calendar';
import { buildKpiDashboard, type KpiInput } from '../../src/resolvers/arithmetic/kpi';
import { buildRevenueDashboard, type RevenueInput } from '../../src/resolvers/arithmetic/revenue';
import { buildVolumeDashboard, type VolumeInput } from '../../src/resolvers/arithmetic/volume';
import {
  infrastructureWarnings, kpiWarnings, revenueWarnings, statsWindowWarnings, volumeWarnings,
} from '../../src/resolvers/arithmetic/warnings';
import { client, mailbox, stats } from './fixtures';

const day10 = calendarFor(Date.parse('2026-03-10T12:00:00Z'), 'UTC');
const day31 = calendarFor(Date.parse('2026-03-31T12:00:00Z'), 'UTC');
const rules = (ws: { workspaceId: number | null; rule: string; field: string | null }[]) => ws.map((w) => `${w.workspaceId}:${w.rule}:${w.field}`);

function kpiInput(workspaceId: number, kpi: number, leads: number): KpiInput {
  const s = stats({ interested: leads, emails_sent: 10 * leads });
  return { client: client({ workspaceId, monthlyKpiTarget: kpi }), stats: { mtd: s, last7: s, prev7: s, last14: s, last30: s, lastMonth: s } };
}

describe('KPI warnings', () => {
  it('NO_KPI_TARGET and LEADS_ABOVE_1000 fire only on their rows', () => {
    const inputs = [kpiInput(1, 0, 5), kpiInput(2, 2000, 1001), kpiInput(3, 100, 1000)];
    const ws = kpiWarnings(buildKpiDashboard(inputs, day10), inputs, day10);
    expect(rules(ws)).toEqual(['1:NO_KPI_TARGET:monthlyKpi', '2:LEADS_ABOVE_1000:leadsGenerated']);
    expect(ws[1].message).toContain('1001');
  });
});

describe('inconsistent windows', () => {
  const windows = (mtd: number, last7: number, last30: number) => ({
    mtd: stats({ emails_sent: mtd }), last7: stats({ emails_sent: last7 }), last30: stats({ emails_sent: last30 }),
  });

  it('MTD above last 30 fires while the day is ≤ 30, not on day 31', () => {
    expect(rules(statsWindowWarnings(1, windows(500, 100, 400), day10))).toEqual(['1:MTD_ABOVE_LAST_30:emails_sent']);
    expect(statsWindowWarnings(1, windows(500, 100, 400), day31)).toEqual([]);
  });

  it('last 7 above last 30 fires on any day; consistent windows give nothing', () => {
    expect(rules(statsWindowWarnings(1, windows(100, 450, 400), day31))).toEqual(['1:LAST_7_ABOVE_LAST_30:emails_sent']);
    expect(statsWindowWarnings(1, windows(400, 100, 400), day10)).toEqual([]);
  });

  it('checks interested too, and reaches the dashboards’ warnings', () => {
    const bad = kpiInput(4, 10, 5);
    bad.stats.last30 = stats({ interested: 2, emails_sent: 50 });
    // MTD interested 5 > 2 and last-7 interested 5 > 2; emails 50 = 50 is fine.
    expect(rules(kpiWarnings(buildKpiDashboard([bad], day10), [bad], day10))).toEqual([
      '4:MTD_ABOVE_LAST_30:interested', '4:LAST_7_ABOVE_LAST_30:interested',
    ]);
  });
});

describe('volume warnings', () => {
  function volumeInput(workspaceId: number, monthly: number, sent: number): VolumeInput {
    const s = stats({ emails_sent: sent });
    return { client: client({ workspaceId, monthlySendingTarget: monthly }), stats: { mtd: s, today: s, last7: s, last14: s, last30: s }, schedules: { today: [], tomorrow: [] } };
  }

  it('NO_EMAILS_WITH_TARGET and TARGET_PERCENTAGE_ABOVE_200 fire only on their rows', () => {
    const inputs = [
      volumeInput(1, 1000, 0), // nothing sent despite a target
      volumeInput(2, 1000, 2001), // 200.1 %
      volumeInput(3, 1000, 2000), // exactly 200 %: fine
      volumeInput(4, 0, 0), // no target: not on the dashboard, no warning
    ];
    const ws = volumeWarnings(buildVolumeDashboard(inputs, day10), inputs, day10);
    expect(rules(ws).sort()).toEqual(['1:NO_EMAILS_WITH_TARGET:emailsSent', '2:TARGET_PERCENTAGE_ABOVE_200:targetPercentage']);
  });
});

describe('revenue warnings', () => {
  const perLead = (workspaceId: number, revenue: number, cost: number): RevenueInput => ({
    client: client({ workspaceId, pricePerLead: 1 }), stats: stats({ interested: revenue }), mailboxCost: cost, manualCost: null,
  });

  it('NEGATIVE_MARGIN (also with no revenue) and LOW_MARGIN below 20 %; 20 % exactly is fine', () => {
    const result = buildRevenueDashboard([
      perLead(1, 100, 150), // −50 %
      perLead(2, 0, 10), // loss without revenue
      perLead(3, 100, 81), // 19 %
      perLead(4, 100, 80), // 20 %
      perLead(5, 0, 0), // nothing at all: no warning
    ], '2026-03', day10);
    const ws = revenueWarnings(result);
    expect(rules(ws).sort()).toEqual(['1:NEGATIVE_MARGIN:profitMargin', '2:NEGATIVE_MARGIN:profitMargin', '3:LOW_MARGIN:profitMargin']);
    expect(ws.find((w) => w.workspaceId === 2)!.message).toContain('no revenue');
  });
});

describe('infrastructure warnings', () => {
  it('one MAILBOX_PRICE_UNKNOWN per workspace with the count; DUPLICATE_MAILBOX per workspace', () => {
    const ws = infrastructureWarnings(
      [mailbox({ id: 1, workspaceId: 1, needsPriceReview: true }), mailbox({ id: 2, workspaceId: 1, needsPriceReview: true }), mailbox({ id: 3, workspaceId: 2 })],
      [mailbox({ id: 1, workspaceId: 9 })],
    );
    expect(rules(ws)).toEqual(['1:MAILBOX_PRICE_UNKNOWN:price', '9:DUPLICATE_MAILBOX:id']);
    expect(ws[0].message).toMatch(/^2 mailbox/);
  });
});
