/**
 * Asking for KPI twice in one query costs the upstream exactly one stats call per
 * (workspace, window), on a cold cache; windows that coincide on a date are one call too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock';
import type { RequestRecord } from '../../src/simulator';
import { createTestGateway, type TestGateway } from '../support/gateway';
import { KPI_ROW_FIELDS, KPI_TOTALS_FIELDS, registryClients } from './kpi-ledger';

const STATS = 'GET /api/workspaces/v1.1/stats';
const TWICE = `{
  a: kpi { clients { ${KPI_ROW_FIELDS} } totals { ${KPI_TOTALS_FIELDS} } errors { code } }
  b: kpi { clients { ${KPI_ROW_FIELDS} } totals { ${KPI_TOTALS_FIELDS} } errors { code } }
}`;

describe('KPI asked twice in one query', () => {
  const clock = new ManualClock('2026-12-10T12:00:00Z');
  let t: TestGateway;
  let workspaceIds: number[];
  beforeAll(async () => {
    t = await createTestGateway({ clock, sim: { workspaces: 7, mailboxes: 140 } });
    workspaceIds = (await registryClients(t)).filter((c) => c.active).map((c) => c.workspaceId);
  });
  afterAll(() => t.close());

  /** Stats calls per workspace since the last counter reset, from the simulator's request log. */
  function statsCallsByWorkspace(): Map<number, number> {
    const calls = new Map<number, number>();
    for (const r of t.sim.control.counters().recent as RequestRecord[]) {
      if (r.endpoint === STATS) calls.set(r.workspaceId!, (calls.get(r.workspaceId!) ?? 0) + 1);
    }
    return calls;
  }

  async function coldQueryTwice() {
    await t.query('mutation { clearCache }');
    t.sim.control.resetCounters();
    const res = await t.query(TWICE);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.a.errors).toEqual([]);
    return res.body.data;
  }

  it('makes one call per workspace and window: six distinct windows on 10 December', async () => {
    clock.set('2026-12-10T12:00:00Z');
    const data = await coldQueryTwice();
    expect(data.b).toEqual(data.a);
    // mtd 12-01..12-10, last7 12-04..12-10, prev7 11-27..12-03, last14 11-27..12-10, last30 11-11..12-10, lastMonth November.
    expect(Object.fromEntries(statsCallsByWorkspace())).toEqual(Object.fromEntries(workspaceIds.map((id) => [id, 6])));
    const counters = t.sim.control.counters();
    expect(counters.byEndpoint).toEqual({ [STATS]: 6 * workspaceIds.length });
    expect(Object.keys(counters.byStatus)).toEqual(['200']);
  });

  it('makes one call for windows that coincide: on 14 December MTD is the last 14 days', async () => {
    clock.set('2026-12-14T12:00:00Z');
    const data = await coldQueryTwice();
    expect(data.b).toEqual(data.a);
    for (const row of data.a.clients) expect(row.leadsGenerated).toBe(row.positiveRepliesLast14Days);
    expect(Object.fromEntries(statsCallsByWorkspace())).toEqual(Object.fromEntries(workspaceIds.map((id) => [id, 5])));
    expect(t.upstreamCalls()).toBe(5 * workspaceIds.length);
  });

  it('makes no call at all when asked again while the cache is fresh', async () => {
    t.sim.control.resetCounters();
    clock.advance(60_000);
    const res = await t.query(TWICE);
    expect(res.body.errors).toBeUndefined();
    expect(t.upstreamCalls()).toBe(0);
  });
});
