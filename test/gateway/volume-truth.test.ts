/**
 * Volume dashboard against the simulator's truth: every field of every row, the ranking and the
 * totals, computed here from DESIGN.md's rules and `sim.world` (never from src/resolvers).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestGateway } from '../support/gateway';
import { createTruthGateway, DAYS_ELAPSED, DAYS_IN_MONTH, nameOf, TODAY, TRUTH_CLIENTS } from './volume-revenue-world';

const FIELDS = `workspaceId name emailsSent emailsToday emailsScheduledToday emailsScheduledTomorrow emailsLast7Days
  emailsLast14Days emailsLast30Days monthlyTarget dailyTarget expectedByNow isOnTrack projection targetPercentage
  projectedPercentage pace rank freshness { state origin } warnings { rule field }`;

interface Expected {
  workspaceId: number; name: string; emailsSent: number; emailsToday: number; emailsScheduledToday: number;
  emailsScheduledTomorrow: number; emailsLast7Days: number; emailsLast14Days: number; emailsLast30Days: number;
  monthlyTarget: number; dailyTarget: number; expectedByNow: number; isOnTrack: boolean; projection: number;
  targetPercentage: number; projectedPercentage: number; pace: string;
}

function expectedRow(t: TestGateway, c: (typeof TRUTH_CLIENTS)[number]): Expected {
  const w = t.sim.world;
  const sent = (start: string) => w.window(c.workspaceId, start, TODAY).sent;
  const scheduled = (day: 'today' | 'tomorrow') => w.schedules(c.workspaceId, day).reduce((a, s) => a + s.emails_being_sent, 0);
  const emailsSent = sent('2026-11-01');
  const expectedByNow = (c.monthlySendingTarget / DAYS_IN_MONTH) * DAYS_ELAPSED;
  const projection = Math.round((emailsSent / DAYS_ELAPSED) * DAYS_IN_MONTH);
  const projectedPercentage = (projection / c.monthlySendingTarget) * 100;
  return {
    workspaceId: c.workspaceId,
    name: nameOf(t, c.workspaceId),
    emailsSent,
    emailsToday: sent(TODAY),
    emailsScheduledToday: scheduled('today'),
    emailsScheduledTomorrow: scheduled('tomorrow'),
    emailsLast7Days: sent('2026-11-14'),
    emailsLast14Days: sent('2026-11-07'),
    emailsLast30Days: sent('2026-10-22'),
    monthlyTarget: c.monthlySendingTarget,
    dailyTarget: c.dailySendingTarget,
    expectedByNow,
    isOnTrack: emailsSent >= expectedByNow,
    projection,
    targetPercentage: (emailsSent / c.monthlySendingTarget) * 100,
    projectedPercentage,
    pace: projectedPercentage >= 100 ? 'ON_PACE' : projectedPercentage >= 80 ? 'NEAR_TARGET' : 'BEHIND',
  };
}

/** Non-senders last; ON_PACE by target % descending; then NEAR_TARGET and BEHIND by target % ascending. */
function expectedOrder(rows: Expected[]): number[] {
  const group = (r: Expected) => (r.emailsSent === 0 ? 2 : r.pace === 'ON_PACE' ? 0 : 1);
  return [...rows].sort((a, b) => group(a) - group(b)
    || (group(a) === 0 ? b.targetPercentage - a.targetPercentage : a.targetPercentage - b.targetPercentage)
    || a.name.localeCompare(b.name)).map((r) => r.workspaceId);
}

describe('volume dashboard against the simulator truth', () => {
  let t: TestGateway;
  let volume: any;
  let expected: Expected[];

  beforeAll(async () => {
    t = await createTruthGateway();
    const res = await t.query(`{ volume { clients { ${FIELDS} } totals { clients emailsSent emailsToday emailsScheduledToday
      emailsScheduledTomorrow monthlyTarget dailyTarget expectedByNow projection targetPercentage projectedPercentage
      clientsOnPace clientsNearTarget clientsBehind clientsNotSending } errors { workspaceId code } warnings { workspaceId rule } } }`);
    expect(res.body.errors).toBeUndefined();
    volume = res.body.data.volume;
    expected = TRUTH_CLIENTS.filter((c) => c.monthlySendingTarget > 0).map((c) => expectedRow(t, c));
  });
  afterAll(() => t.close());

  it('leaves out the client without a sending target and nobody else', () => {
    expect(volume.errors).toEqual([]);
    expect(volume.clients.map((r: any) => r.workspaceId).sort((a: number, b: number) => a - b)).toEqual([3, 12, 22, 39]);
  });

  it('computes every field of every row from the stats windows and sending schedules', () => {
    for (const want of expected) {
      const row = volume.clients.find((r: any) => r.workspaceId === want.workspaceId);
      const { expectedByNow, targetPercentage, projectedPercentage, ...exact } = want;
      expect(row).toMatchObject(exact);
      expect(row.expectedByNow).toBeCloseTo(expectedByNow, 6);
      expect(row.targetPercentage).toBeCloseTo(targetPercentage, 6);
      expect(row.projectedPercentage).toBeCloseTo(projectedPercentage, 6);
      expect(row.freshness.origin).toMatch(/UPSTREAM|CACHE/);
    }
    // The world is not degenerate: real sending, today's partial day, schedules.
    expect(expected.every((r) => r.emailsSent > 0 && r.emailsToday > 0 && r.emailsScheduledToday > 0)).toBe(true);
  });

  it('ranks clients by pace and neediness', () => {
    expect(volume.clients.map((r: any) => r.workspaceId)).toEqual(expectedOrder(expected));
    expect(volume.clients.map((r: any) => r.rank)).toEqual([1, 2, 3, 4]);
  });

  it('totals are the sums and counts of the rows', () => {
    const sum = (f: (r: Expected) => number) => expected.reduce((a, r) => a + f(r), 0);
    const monthly = sum((r) => r.monthlyTarget);
    const count = (pace: string) => expected.filter((r) => r.pace === pace).length;
    expect(volume.totals).toMatchObject({
      clients: 4,
      emailsSent: sum((r) => r.emailsSent),
      emailsToday: sum((r) => r.emailsToday),
      emailsScheduledToday: sum((r) => r.emailsScheduledToday),
      emailsScheduledTomorrow: sum((r) => r.emailsScheduledTomorrow),
      monthlyTarget: monthly,
      dailyTarget: sum((r) => r.dailyTarget),
      projection: sum((r) => r.projection),
      clientsOnPace: count('ON_PACE'),
      clientsNearTarget: count('NEAR_TARGET'),
      clientsBehind: count('BEHIND'),
      clientsNotSending: 0,
    });
    expect(volume.totals.expectedByNow).toBeCloseTo(sum((r) => r.expectedByNow), 6);
    expect(volume.totals.targetPercentage).toBeCloseTo((sum((r) => r.emailsSent) / monthly) * 100, 6);
  });

  it('attaches the DESIGN warnings to rows without hiding them', () => {
    for (const want of expected) {
      const row = volume.clients.find((r: any) => r.workspaceId === want.workspaceId);
      const rules = row.warnings.map((w: any) => w.rule);
      expect(rules.includes('TARGET_PERCENTAGE_ABOVE_200')).toBe(want.targetPercentage > 200);
      expect(row.freshness.state).toBe(rules.length ? 'WARNING' : 'FRESH');
    }
  });
});
