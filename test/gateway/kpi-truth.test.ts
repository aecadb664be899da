/**
 * The KPI dashboard equals a hand computation from the simulator's ledger, at month boundaries and
 * in a business time zone whose date differs from UTC's. Windows are written out literally.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock';
import { createTestGateway, type TestGateway } from '../support/gateway';
import { expectKpiMatchesLedger } from './kpi-ledger';
import { DECEMBER_1, DECEMBER_31, FEBRUARY_28, JANUARY_1, MARCH_2, NEW_YORK_FEBRUARY_28, NEW_YORK_OCTOBER_31 } from './kpi-scenarios';

describe('KPI dashboard equals the ledger (BUSINESS_TIMEZONE=UTC)', () => {
  const clock = new ManualClock(FEBRUARY_28.at);
  let t: TestGateway;
  beforeAll(async () => {
    t = await createTestGateway({ clock, sim: { workspaces: 7, mailboxes: 140 } });
  });
  afterAll(() => t.close());

  for (const s of [FEBRUARY_28, MARCH_2, DECEMBER_1, DECEMBER_31, JANUARY_1]) {
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
