/** The KPI truth test once on the real Postgres backend (registry, tokens, monitoring there). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock';
import { createTestGateway, type TestGateway } from '../support/gateway';
import { expectKpiMatchesLedger } from './kpi-ledger';
import { DECEMBER_1, FEBRUARY_28 } from './kpi-scenarios';

describe('KPI dashboard equals the ledger on Postgres', () => {
  const clock = new ManualClock(FEBRUARY_28.at);
  let t: TestGateway;
  beforeAll(async () => {
    t = await createTestGateway({ clock, database: 'postgres', sim: { workspaces: 7, mailboxes: 140 } });
  });
  afterAll(() => t.close());

  it('runs on Postgres, not PGlite', async () => {
    expect(t.config.databaseUrl).toMatch(/^postgres/);
    expect(t.dbSchema).toMatch(/^gw_/);
  });

  for (const s of [FEBRUARY_28, DECEMBER_1]) {
    it(`${s.today}`, async () => {
      clock.set(s.at);
      const rows = await expectKpiMatchesLedger(t, s);
      expect(rows.filter((r) => r.positiveRepliesLast30Days > 0).length).toBeGreaterThanOrEqual(3);
    });
  }
});
