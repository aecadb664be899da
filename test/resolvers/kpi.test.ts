import { describe, expect, it } from 'vitest';
import { calendarFor } from '../../src/resolvers/arithmetic/calendar';
import { buildKpiDashboard, type KpiInput } from '../../src/resolvers/arithmetic/kpi';
import { client, stats } from './fixtures';

// 2026-03-10: daysElapsed 10, daysInMonth 31.
const cal = calendarFor(Date.parse('2026-03-10T12:00:00Z'), 'UTC');

function input(workspaceId: number, kpi: number, mtdInterested: number, last7: number, prev7: number, extra: Partial<KpiInput['client']> = {}): KpiInput {
  return {
    client: client({ workspaceId, monthlyKpiTarget: kpi, ...extra }),
    stats: {
      mtd: stats({ interested: mtdInterested, emails_sent: 1000 * workspaceId, bounced: workspaceId }),
      last7: stats({ interested: last7 }),
      prev7: stats({ interested: prev7 }),
      last14: stats({ interested: last7 + prev7 }),
      last30: stats({ interested: 70 + workspaceId }),
      lastMonth: stats({ interested: 90 + workspaceId }),
    },
  };
}

describe('buildKpiDashboard', () => {
  const result = buildKpiDashboard([
    input(1, 100, 40, 14, 10, { displayName: 'Acme Co' }), // projected round(40/10*31)=124 ≥ 100 → ON_TRACK
    input(2, 30, 35, 5, 0), // 35 ≥ 30 → ABOVE; projected round(108.5) = 109
    input(3, 200, 20, 3, 6, { displayName: '   ' }), // projected 62 < 200 → BELOW
    input(4, 0, 5, 0, 0), // no target: 5 ≥ 0 → ABOVE (literal rule), progress 0
  ], cal);
  const [a, b, c, d] = result.clients;

  it('computes every field of a row', () => {
    expect(a).toEqual({
      workspaceId: 1, name: 'Acme Co', leadsGenerated: 40, monthlyKpi: 100, projectedReplies: 124,
      currentProgress: 0.4, repliesProgress: 1.24,
      positiveRepliesLast7Days: 14, positiveRepliesLast14Days: 24, positiveRepliesLast30Days: 71, positiveRepliesLastMonth: 91,
      weekOverWeekChange: 0.4, // (14 − 10) ÷ 10
      emailsSent: 1000, bounced: 1, status: 'ON_TRACK',
    });
  });

  it('statuses ABOVE, ON_TRACK, BELOW and the no-target case', () => {
    expect(result.clients.map((r) => r.status)).toEqual(['ON_TRACK', 'ABOVE', 'BELOW', 'ABOVE']);
    expect(b.projectedReplies).toBe(109);
    expect(b.currentProgress).toBeCloseTo(35 / 30, 10);
    expect(c.projectedReplies).toBe(62);
    expect(c.currentProgress).toBeCloseTo(0.1, 10);
    expect(c.repliesProgress).toBeCloseTo(0.31, 10);
    expect(d).toMatchObject({ projectedReplies: 16, currentProgress: 0, repliesProgress: 0, status: 'ABOVE' });
  });

  it('names fall back to the workspace name when the display name is blank', () => {
    expect(c.name).toBe('Workspace 3');
  });

  it('weekOverWeekChange is null when the previous 7 days had nothing, negative on a fall', () => {
    expect(b.weekOverWeekChange).toBeNull();
    expect(d.weekOverWeekChange).toBeNull();
    expect(c.weekOverWeekChange).toBe(-0.5); // (3 − 6) ÷ 6
  });

  it('totals: sums, progress over clients with a target, counts per status', () => {
    expect(result.totals).toMatchObject({
      clients: 4, leadsGenerated: 100, monthlyKpi: 330, projectedReplies: 311,
      positiveRepliesLast7Days: 22, positiveRepliesLast14Days: 38, positiveRepliesLast30Days: 290, positiveRepliesLastMonth: 370,
      emailsSent: 10_000, bounced: 10, clientsAbove: 2, clientsOnTrack: 1, clientsBelow: 1,
    });
    // (40 + 35 + 20) ÷ 330 and (124 + 109 + 62) ÷ 330: client 4 has no target and is left out.
    expect(result.totals.currentProgress).toBeCloseTo(95 / 330, 10);
    expect(result.totals.repliesProgress).toBeCloseTo(295 / 330, 10);
  });

  it('all clients without a target: overall progress 0, not NaN', () => {
    const none = buildKpiDashboard([input(4, 0, 5, 0, 0)], cal);
    expect(none.totals).toMatchObject({ monthlyKpi: 0, currentProgress: 0, repliesProgress: 0 });
    expect(buildKpiDashboard([], cal).totals).toMatchObject({ clients: 0, currentProgress: 0 });
  });

  it('day 1: projection is the day multiplied by the month length', () => {
    const day1 = calendarFor(Date.parse('2026-03-01T12:00:00Z'), 'UTC');
    const [row] = buildKpiDashboard([input(1, 100, 3, 0, 0)], day1).clients;
    expect(row).toMatchObject({ projectedReplies: 93, status: 'BELOW' }); // 3 × 31 = 93 < 100
  });
});
