/**
 * The KPI dashboard equals a hand computation from the simulator's ledger, at month boundaries and
 * in a business time zone whose date differs from UTC's. Windows are written out literally.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock';
import { createTestGateway, type TestGateway } from '../support/gateway';
import { expectKpiMatchesLedger, type KpiScenario } from './kpi-ledger';

const w = (start: string, end: string) => ({ start, end });

/** 2026-02-28 09:00 UTC: a February (28 days); today is only partly elapsed in the ledger. */
export const FEBRUARY_28: KpiScenario = {
  at: '2026-02-28T09:00:00Z', today: '2026-02-28', daysElapsed: 28, daysInMonth: 28,
  windows: {
    mtd: w('2026-02-01', '2026-02-28'), last7: w('2026-02-22', '2026-02-28'), prev7: w('2026-02-15', '2026-02-21'),
    last14: w('2026-02-15', '2026-02-28'), last30: w('2026-01-30', '2026-02-28'), lastMonth: w('2026-01-01', '2026-01-31'),
  },
};

/** Day 1 of a month: MTD is today alone, the projection multiplies it by 31. */
const DECEMBER_1: KpiScenario = {
  at: '2026-12-01T12:00:00Z', today: '2026-12-01', daysElapsed: 1, daysInMonth: 31,
  windows: {
    mtd: w('2026-12-01', '2026-12-01'), last7: w('2026-11-25', '2026-12-01'), prev7: w('2026-11-18', '2026-11-24'),
    last14: w('2026-11-18', '2026-12-01'), last30: w('2026-11-02', '2026-12-01'), lastMonth: w('2026-11-01', '2026-11-30'),
  },
};

/** The last day of a 31-day month. */
const DECEMBER_31: KpiScenario = {
  at: '2026-12-31T18:00:00Z', today: '2026-12-31', daysElapsed: 31, daysInMonth: 31,
  windows: {
    mtd: w('2026-12-01', '2026-12-31'), last7: w('2026-12-25', '2026-12-31'), prev7: w('2026-12-18', '2026-12-24'),
    last14: w('2026-12-18', '2026-12-31'), last30: w('2026-12-02', '2026-12-31'), lastMonth: w('2026-11-01', '2026-11-30'),
  },
};

/** Day 1 of a year: every window but MTD reaches into the previous year. */
const JANUARY_1: KpiScenario = {
  at: '2027-01-01T00:30:00Z', today: '2027-01-01', daysElapsed: 1, daysInMonth: 31,
  windows: {
    mtd: w('2027-01-01', '2027-01-01'), last7: w('2026-12-26', '2027-01-01'), prev7: w('2026-12-19', '2026-12-25'),
    last14: w('2026-12-19', '2027-01-01'), last30: w('2026-12-03', '2027-01-01'), lastMonth: w('2026-12-01', '2026-12-31'),
  },
};

/** 03:00 UTC on 1 March is 22:00 on 28 February in New York (EST): business today is still February. */
const NEW_YORK_FEBRUARY_28: KpiScenario = { ...FEBRUARY_28, at: '2026-03-01T03:00:00Z' };

/** 02:30 UTC on 1 November 2026 is 22:30 EDT on 31 October (the night DST ends). */
const NEW_YORK_OCTOBER_31: KpiScenario = {
  at: '2026-11-01T02:30:00Z', today: '2026-10-31', daysElapsed: 31, daysInMonth: 31,
  windows: {
    mtd: w('2026-10-01', '2026-10-31'), last7: w('2026-10-25', '2026-10-31'), prev7: w('2026-10-18', '2026-10-24'),
    last14: w('2026-10-18', '2026-10-31'), last30: w('2026-10-02', '2026-10-31'), lastMonth: w('2026-09-01', '2026-09-30'),
  },
};

describe('KPI dashboard equals the ledger (BUSINESS_TIMEZONE=UTC)', () => {
  const clock = new ManualClock(FEBRUARY_28.at);
  let t: TestGateway;
  beforeAll(async () => {
    t = await createTestGateway({ clock, sim: { workspaces: 7, mailboxes: 140 } });
  });
  afterAll(() => t.close());

  for (const s of [FEBRUARY_28, DECEMBER_1, DECEMBER_31, JANUARY_1]) {
    it(`${s.today} (${s.daysElapsed} of ${s.daysInMonth} days)`, async () => {
      clock.set(s.at);
      expect(t.sim.world.today()).toBe(s.today);
      const rows = await expectKpiMatchesLedger(t, s);
      // The comparison means something: several clients have leads, and there is a target to miss or meet.
      expect(rows.length).toBeGreaterThanOrEqual(3);
      expect(rows.filter((r) => r.positiveRepliesLast30Days > 0).length).toBeGreaterThanOrEqual(3);
    });
  }

  it('today holds only its elapsed part: later the same day, fresh numbers are larger', async () => {
    // The clock goes back in time here: forget what later instants cached.
    await t.query('mutation { clearCache(dashboard: KPI) }');
    clock.set(DECEMBER_31.at);
    const before = await expectKpiMatchesLedger(t, DECEMBER_31);
    clock.set('2026-12-31T23:00:00Z');
    await t.query('mutation { clearCache(dashboard: KPI) }');
    const after = await expectKpiMatchesLedger(t, { ...DECEMBER_31, at: '2026-12-31T23:00:00Z' });
    const sent = (rows: typeof before) => rows.reduce((n, r) => n + r.emailsSent, 0);
    expect(sent(after)).toBeGreaterThan(sent(before));
  });
});

describe('KPI dashboard equals the ledger (BUSINESS_TIMEZONE=America/New_York)', () => {
  const clock = new ManualClock(NEW_YORK_OCTOBER_31.at);
  let t: TestGateway;
  beforeAll(async () => {
    t = await createTestGateway({ clock, sim: { workspaces: 7, mailboxes: 140 }, env: { BUSINESS_TIMEZONE: 'America/New_York' } });
  });
  afterAll(() => t.close());

  for (const s of [NEW_YORK_OCTOBER_31, NEW_YORK_FEBRUARY_28]) {
    it(`${s.at} is ${s.today} in New York`, async () => {
      clock.set(s.at);
      // The simulator's (UTC) today is already the next day; it holds data the business day must not count.
      expect(t.sim.world.today()).not.toBe(s.today);
      const rows = await expectKpiMatchesLedger(t, s);
      const utcToday = t.sim.world.today();
      const sentOnUtcToday = rows.reduce((n, r) => n + t.sim.world.day(r.workspaceId, utcToday).sent, 0);
      expect(sentOnUtcToday).toBeGreaterThan(0);
    });
  }
});
