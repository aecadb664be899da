import { describe, expect, it } from 'vitest';
import { calendarFor } from '../../src/resolvers/arithmetic/calendar';
import { buildVolumeDashboard, type VolumeInput } from '../../src/resolvers/arithmetic/volume';
import { client, schedule, stats } from './fixtures';

// 2026-03-10: daysElapsed 10, daysInMonth 31.
const cal = calendarFor(Date.parse('2026-03-10T12:00:00Z'), 'UTC');

function input(workspaceId: number, name: string, monthly: number, sent: number, daily = 0): VolumeInput {
  return {
    client: client({ workspaceId, name, monthlySendingTarget: monthly, dailySendingTarget: daily }),
    stats: {
      mtd: stats({ emails_sent: sent }),
      today: stats({ emails_sent: 100 }),
      last7: stats({ emails_sent: 700 }),
      last14: stats({ emails_sent: 1400 }),
      last30: stats({ emails_sent: 3000 }),
    },
    schedules: { today: [], tomorrow: [] },
  };
}

describe('buildVolumeDashboard', () => {
  const alpha = input(1, 'Alpha', 31_000, 12_000);
  alpha.schedules = { today: [schedule(300), schedule(200)], tomorrow: [schedule(450)] };
  const result = buildVolumeDashboard([
    alpha, // projection 37 200 = 120 % → ON_PACE; target 38.71 %
    input(2, 'Bravo', 31_000, 15_500), // projection 48 050 = 155 % → ON_PACE; target 50 %
    input(3, 'Charlie', 31_000, 9_000), // projection 27 900 = 90 % → NEAR_TARGET; target 29.03 %
    input(4, 'Delta', 31_000, 3_100), // projection 9 610 = 31 % → BEHIND; target 10 %
    input(5, 'Echo', 0, 0, 1_000), // daily target only → monthly 31 000; sent nothing
    input(6, 'Foxtrot', 0, 5_000), // no sending target → left out
  ], cal);
  const byName = new Map(result.clients.map((r) => [r.name, r]));

  it('computes every field of a row', () => {
    expect(byName.get('Alpha')).toMatchObject({
      workspaceId: 1, emailsSent: 12_000, emailsToday: 100, emailsScheduledToday: 500, emailsScheduledTomorrow: 450,
      emailsLast7Days: 700, emailsLast14Days: 1400, emailsLast30Days: 3000, monthlyTarget: 31_000, dailyTarget: 1000,
      expectedByNow: 10_000, isOnTrack: true, projection: 37_200, pace: 'ON_PACE',
    });
    expect(byName.get('Alpha')!.targetPercentage).toBeCloseTo(38.709677, 5);
    expect(byName.get('Alpha')!.projectedPercentage).toBeCloseTo(120, 10);
    expect(byName.get('Charlie')).toMatchObject({ isOnTrack: false, projection: 27_900, pace: 'NEAR_TARGET' });
    expect(byName.get('Delta')).toMatchObject({ projection: 9_610, pace: 'BEHIND', targetPercentage: 10 });
  });

  it('a daily target alone is a sending target; no target at all leaves the client out', () => {
    expect(byName.get('Echo')).toMatchObject({ monthlyTarget: 31_000, dailyTarget: 1000, expectedByNow: 10_000, pace: 'BEHIND' });
    expect(byName.has('Foxtrot')).toBe(false);
  });

  it('ranks ON_PACE best first, then NEAR_TARGET and BEHIND neediest first, then clients that sent nothing', () => {
    expect(result.clients.map((r) => [r.rank, r.name])).toEqual([
      [1, 'Bravo'], [2, 'Alpha'], [3, 'Delta'], [4, 'Charlie'], [5, 'Echo'],
    ]);
  });

  it('pace thresholds: exactly 100 % is ON_PACE and exactly 80 % is NEAR_TARGET', () => {
    // 10 000 sent by day 10 of 31 → projection 31 000 = 100 %; 8 000 → 24 800 = 80 %.
    const edge = buildVolumeDashboard([input(1, 'Hundred', 31_000, 10_000), input(2, 'Eighty', 31_000, 8_000)], cal);
    expect(edge.clients.map((r) => [r.name, r.pace])).toEqual([['Hundred', 'ON_PACE'], ['Eighty', 'NEAR_TARGET']]);
  });

  it('totals: sums, overall percentages, counts per pace', () => {
    expect(result.totals).toMatchObject({
      clients: 5, emailsSent: 39_600, emailsToday: 500, emailsScheduledToday: 500, emailsScheduledTomorrow: 450,
      emailsLast7Days: 3500, emailsLast14Days: 7000, emailsLast30Days: 15_000,
      monthlyTarget: 155_000, dailyTarget: 5000, expectedByNow: 50_000, projection: 122_760,
      clientsOnPace: 2, clientsNearTarget: 1, clientsBehind: 2, clientsNotSending: 1,
    });
    expect(result.totals.targetPercentage).toBeCloseTo(25.548387, 5); // 39 600 ÷ 155 000
    expect(result.totals.projectedPercentage).toBeCloseTo(79.2, 10); // 37 200 + 48 050 + 27 900 + 9 610 = 122 760 ÷ 155 000
  });
});
