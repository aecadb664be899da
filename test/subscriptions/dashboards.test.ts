/**
 * Dashboards that stream in and stay live: a cold `kpiStream @stream` delivers its first rows while
 * one slow workspace is still being fetched (totals under `@defer` still add up), and `kpiUpdated`
 * pushes the KPI dashboard again after a webhook-triggered refresh, with the changed workspace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway';
import { eventually, serve, sseSubscribe, wsClient, wsSubscribe, type Served } from './clients';

const SECRET = 'webhook-secret-0123456789';
const STATS = 'GET /api/workspaces/v1.1/stats';

describe('streamed and live dashboards', () => {
  let t: TestGateway;
  let served: Served;

  beforeAll(async () => {
    t = await createTestGateway({ sim: { workspaces: 5, mailboxes: 60 }, env: { WEBHOOK_SECRET: SECRET }, gateway: { cache: { staleDebounceMs: 20 } } });
    served = await serve(t);
  });
  afterAll(async () => {
    await served.close();
    await t.close();
  });

  it('a cold kpiStream @stream delivers rows before the slow workspace answers; deferred totals cover every row', async () => {
    const ids: number[] = (await t.query('{ kpi { clients { workspaceId } } }')).body.data.kpi.clients.map((c: { workspaceId: number }) => c.workspaceId);
    const slow = ids[ids.length - 1];
    await t.query('mutation { clearCache }');
    t.sim.control.addFault({ workspaceId: slow, endpoint: STATS, latencyMs: 1_500 });
    type Part = { data?: any; incremental?: { items?: any[]; data?: any; path: (string | number)[] }[]; hasNext?: boolean };
    const slowAnswers = () => (t.sim.control.counters().byWorkspace as Record<string, number>)[slow] ?? 0;
    const slowBefore = slowAnswers();
    let slowAtFirstRow = -1;
    const rowsAtFirstRow: number[] = [];
    const stream = sseSubscribe<Part>(
      served.url,
      `query { kpiStream @stream(initialCount: 0) { workspaceId leadsGenerated freshness { state origin } }
               ... @defer { kpi { totals { clients leadsGenerated } } } }`,
      undefined,
      { raw: true },
    );
    const rows = () => stream.values.flatMap((p) => (p.incremental ?? []).flatMap((i) => i.items ?? []));
    await stream.waitFor((p) => (p.incremental ?? []).some((i) => i.items?.length), 10_000);
    slowAtFirstRow = slowAnswers();
    rowsAtFirstRow.push(...rows().map((r) => r.workspaceId));
    await stream.waitFor((p) => p.hasNext === false, 10_000);
    t.sim.control.clearFaults();

    expect(rowsAtFirstRow.length).toBeGreaterThan(0);
    expect(rowsAtFirstRow).not.toContain(slow);
    // The simulator counts an answer when it sends it: the slow workspace had not answered yet.
    expect(slowAtFirstRow).toBe(slowBefore);
    expect(slowAnswers()).toBeGreaterThan(slowBefore);
    const all = rows();
    expect(all.at(-1).workspaceId).toBe(slow);
    expect(all.map((r) => r.workspaceId).sort()).toEqual([...ids].sort());
    expect(all.every((r) => r.freshness.origin === 'UPSTREAM')).toBe(true);
    const deferred = stream.values.flatMap((p) => (p.incremental ?? []).map((i) => i.data)).find((d) => d?.kpi);
    expect(deferred.kpi.totals.clients).toBe(all.length);
    expect(deferred.kpi.totals.leadsGenerated).toBe(all.reduce((sum, r) => sum + r.leadsGenerated, 0));
    await stream.close();
  });

  it('without @stream, kpiStream is the same rows as kpi.clients', async () => {
    const res = await t.query('{ kpiStream { workspaceId leadsGenerated status } kpi { clients { workspaceId leadsGenerated status } } }');
    const byId = (rows: { workspaceId: number }[]) => [...rows].sort((a, b) => a.workspaceId - b.workspaceId);
    expect(byId(res.body.data.kpiStream)).toEqual(byId(res.body.data.kpi.clients));
  });

  it('kpiUpdated sends the dashboard, then again after a webhook-triggered refresh with the changed workspace', async () => {
    const client = wsClient(served.wsUrl);
    type Update = { kpiUpdated: { changedWorkspaceIds: number[]; kpi: { clients: { workspaceId: number; leadsGenerated: number; freshness: { state: string } }[]; totals: { leadsGenerated: number } } } };
    const sub = wsSubscribe<Update>(client, `subscription { kpiUpdated { changedWorkspaceIds
      kpi { clients { workspaceId leadsGenerated freshness { state } } totals { leadsGenerated } } } }`);
    const first = await sub.waitFor(() => true);
    expect(first.kpiUpdated.changedWorkspaceIds).toEqual([]);
    const target = first.kpiUpdated.kpi.clients[0];

    t.sim.control.subscribeWebhooks({ url: `${served.url}/webhooks/email-bison`, secret: SECRET });
    await t.sim.control.sendWebhook('lead_interested', { workspaceId: target.workspaceId });
    const next = await sub.waitFor(
      (u) => u.kpiUpdated.changedWorkspaceIds.includes(target.workspaceId) && u.kpiUpdated.kpi.clients.some((c) => c.workspaceId === target.workspaceId && c.leadsGenerated === target.leadsGenerated + 1),
      5_000,
    );
    expect(next.kpiUpdated.changedWorkspaceIds).toEqual([target.workspaceId]);
    expect(next.kpiUpdated.kpi.totals.leadsGenerated).toBe(first.kpiUpdated.kpi.totals.leadsGenerated + 1);
    t.sim.control.subscribeWebhooks(null);
    await sub.close();
    await client.dispose();
    await eventually(() => t.gateway.events.stats().listeners === 0, 5_000, 'subscription released');
  });
});
