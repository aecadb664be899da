/**
 * One operation asking for all four dashboards makes each distinct upstream call exactly once:
 * overlapping needs (the month-to-date window of KPI, volume and revenue; the mailbox lists of
 * infrastructure and revenue's costs) are shared through the per-request loaders and the cache.
 * The simulator's request log names every call by endpoint, workspace and query string (window
 * or page), so a duplicate cannot hide in a total.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestGateway } from '../support/gateway';
import { createTruthGateway, TRUTH_CLIENTS } from './volume-revenue-world';

const ALL_FOUR = `{
  kpi { clients { workspaceId leadsGenerated } totals { clients } errors { code } }
  volume { clients { workspaceId emailsSent emailsToday emailsScheduledToday emailsScheduledTomorrow } errors { code } }
  revenue { clients { workspaceId revenue costs } errors { code } }
  infrastructure { totals { mailboxes monthlyCost } byWorkspace { workspaceId } mailboxes(first: 5) { totalCount } errors { code } }
}`;

describe('all four dashboards in one query', () => {
  let t: TestGateway;
  let calls: { endpoint: string; workspaceId: number | null; query?: string; status: number | string }[];

  beforeAll(async () => {
    t = await createTruthGateway();
    t.sim.control.resetCounters();
    const res = await t.query(ALL_FOUR);
    expect(res.body.errors).toBeUndefined();
    for (const d of ['kpi', 'volume', 'revenue', 'infrastructure']) expect(res.body.data[d].errors).toEqual([]);
    calls = t.sim.control.counters().recent;
  });
  afterAll(() => t.close());

  it('makes every (endpoint, workspace, window or page) call once', () => {
    const seen = new Map<string, number>();
    for (const c of calls) {
      const id = `${c.endpoint} ws=${c.workspaceId} ${c.query ?? ''}`;
      seen.set(id, (seen.get(id) ?? 0) + 1);
    }
    expect([...seen].filter(([, n]) => n > 1)).toEqual([]);
    expect(calls.every((c) => c.status === 200)).toBe(true);
  });

  it('makes exactly the calls the four dashboards need, per workspace', () => {
    for (const { workspaceId } of TRUTH_CLIENTS) {
      const mine = calls.filter((c) => c.workspaceId === workspaceId);
      const windows = mine.filter((c) => c.endpoint === 'GET /api/workspaces/v1.1/stats').map((c) => new URLSearchParams(c.query).toString()).sort();
      // KPI: mtd, last 7, the 7 before, 14, 30, last month; volume adds today; revenue's month is mtd.
      const want = [['2026-11-01', '2026-11-20'], ['2026-11-14', '2026-11-20'], ['2026-11-07', '2026-11-13'], ['2026-11-07', '2026-11-20'],
        ['2026-10-22', '2026-11-20'], ['2026-10-01', '2026-10-31']];
      // Today's window is volume's own: the client without a sending target has no volume row.
      if (workspaceId !== 20) want.push(['2026-11-20', '2026-11-20']);
      expect(windows, `stats windows of ${workspaceId}`).toEqual(want.map(([start_date, end_date]) => new URLSearchParams({ start_date, end_date }).toString()).sort());
      const days = mine.filter((c) => c.endpoint === 'GET /api/campaigns/sending-schedules').map((c) => new URLSearchParams(c.query).get('day')).sort();
      // Schedules are volume's too.
      expect(days, `schedules of ${workspaceId}`).toEqual(workspaceId === 20 ? [] : ['today', 'tomorrow']);
      const pages = mine.filter((c) => c.endpoint === 'GET /api/sender-emails').map((c) => Number(new URLSearchParams(c.query).get('page') ?? 1));
      const lastPage = Math.ceil(t.sim.world.mailboxes(workspaceId).length / 15);
      expect(pages.sort((a, b) => a - b), `mailbox pages of ${workspaceId}`).toEqual(Array.from({ length: lastPage }, (_, i) => i + 1));
      expect(mine.length).toBe(windows.length + days.length + pages.length);
    }
    // Nothing for workspaces that are not clients (the root team) and nothing instance-wide.
    expect(calls.filter((c) => !TRUTH_CLIENTS.some((cl) => cl.workspaceId === c.workspaceId))).toEqual([]);
  });

  it('asks again from the cache without a single upstream call', async () => {
    t.sim.control.resetCounters();
    const res = await t.query(ALL_FOUR);
    expect(res.body.errors).toBeUndefined();
    expect(t.sim.control.counters().total).toBe(0);
  });
});
