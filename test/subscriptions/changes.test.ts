/**
 * Subscriptions send what changed, and only that. A scripted minute (on the ManualClock) with a
 * known number of changes a subscriber can see: the current value at once, then one event per
 * change, none while only the seconds tick, none for a refetch that brings nothing new.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock';
import { createTestGateway, DEFAULT_NOW, type TestGateway } from '../support/gateway';
import { eventually, serve, wsClient, wsSubscribe, type Served } from './clients';

const STATS = 'GET /api/workspaces/v1.1/stats';
type Event = { freshnessChanged: { workspaceId: number; freshness: { state: string; origin: string; fetchedAt: string } } };
type Update = { kpiUpdated: { changedWorkspaceIds: number[]; kpi: { totals: { clients: number } } } };

describe('a minute of changes, counted', () => {
  const clock = new ManualClock(DEFAULT_NOW);
  let t: TestGateway;
  let served: Served;

  beforeAll(async () => {
    t = await createTestGateway({ clock, sim: { workspaces: 4, mailboxes: 40 }, gateway: { subscriptionTickMs: 10 } });
    served = await serve(t);
  });
  afterAll(async () => {
    await served.close();
    await t.close();
  });

  it('sends the current value, then exactly one event per visible change', async () => {
    const [w1, w2, w3] = (await t.query('{ kpi { clients { workspaceId } } }')).body.data.kpi.clients.map((c: { workspaceId: number }) => c.workspaceId);
    const client = wsClient(served.wsUrl);
    const events = wsSubscribe<Event>(client, 'subscription { freshnessChanged(dashboard: KPI) { workspaceId freshness { state origin fetchedAt } } }');
    const updates = wsSubscribe<Update>(client, 'subscription { kpiUpdated { changedWorkspaceIds kpi { totals { clients } } } }');
    const settle = async (freshness: number, live: number, what: string) => {
      await eventually(() => events.values.length >= freshness && updates.values.length >= live, 5_000, what);
      await new Promise((resolve) => setTimeout(resolve, 300)); // time for any extra (wrong) event to arrive
      expect([events.values.length, updates.values.length], what).toEqual([freshness, live]);
    };
    const refresh = (ws: number) => t.query(`mutation { refresh(dashboard: KPI, workspaceId: ${ws}) { state } }`);
    const tick = async (seconds: number) => {
      for (let s = 0; s < seconds; s += 5) {
        clock.advance(5_000);
        await new Promise((resolve) => setTimeout(resolve, 20)); // a few subscription ticks at each step
      }
    };

    await settle(3, 1, 'the current value: one event per workspace and one dashboard');
    await tick(20);
    await settle(3, 1, 'only seconds passed: nothing a subscriber sees changed');

    await refresh(w1); // t = 20 s: newer data for w1
    await settle(4, 2, 'w1 refreshed');
    expect(events.values.at(-1)!.freshnessChanged).toMatchObject({ workspaceId: w1, freshness: { state: 'FRESH', origin: 'UPSTREAM' } });
    expect(updates.values.at(-1)!.kpiUpdated.changedWorkspaceIds).toEqual([w1]);

    await tick(20);
    t.sim.control.setFaults([{ endpoint: STATS, workspaceId: w2, errorRate: 1 }]);
    await refresh(w2); // t = 40 s: w2 fails, shown from stale cache
    await settle(5, 3, 'w2 failed');
    expect(events.values.at(-1)!.freshnessChanged).toMatchObject({ workspaceId: w2, freshness: { state: 'STALE', origin: 'STALE_CACHE' } });
    expect(updates.values.at(-1)!.kpiUpdated.changedWorkspaceIds).toEqual([w2]);

    await tick(10);
    await refresh(w3); // t = 50 s
    await settle(6, 4, 'w3 refreshed');
    await refresh(w3); // the same moment again: the same data, nothing to see
    await settle(6, 4, 'a refetch that changes nothing');
    await tick(10); // t = 60 s
    await settle(6, 4, 'the minute ends quietly');
    t.sim.control.clearFaults();

    expect(events.values.slice(3).map((e) => e.freshnessChanged.workspaceId)).toEqual([w1, w2, w3]);
    await Promise.all([events.close(), updates.close()]);
    await client.dispose();
  });
});
