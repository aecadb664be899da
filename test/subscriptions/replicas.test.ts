/**
 * Two gateway replicas on one Redis (shared cache and events, one simulator): a refresh done by
 * replica A reaches a subscriber on replica B, both as a `freshnessChanged` event and as a live
 * KPI dashboard that B recomputes from the shared cache.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator';
import { ManualClock } from '../../src/clock';
import { createTestGateway, DEFAULT_NOW, REDIS_URL, type TestGateway } from '../support/gateway';
import { eventually, serve, wsClient, wsSubscribe, type Served } from './clients';

describe('subscriptions across replicas (Redis)', () => {
  const clock = new ManualClock(DEFAULT_NOW);
  const cachePrefix = `bgw-test-subs:${randomUUID().slice(0, 8)}`;
  let sim: Simulator;
  let a: TestGateway;
  let b: TestGateway;
  let servedB: Served;

  beforeAll(async () => {
    sim = await startSimulator({ clock, seed: 'test', rateLimit: false, workspaces: 3, mailboxes: 30 });
    [a, b] = await Promise.all([
      createTestGateway({ clock, simulator: sim, cache: 'redis', cachePrefix }),
      createTestGateway({ clock, simulator: sim, cache: 'redis', cachePrefix }),
    ]);
    servedB = await serve(b);
  });
  afterAll(async () => {
    await servedB?.close();
    await Promise.all([a?.close(), b?.close()]);
    await sim?.close();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${cachePrefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('a refresh on replica A reaches freshnessChanged and kpiUpdated subscribers on replica B', async () => {
    const kpi = await a.query('{ kpi { clients { workspaceId } } }');
    const target = kpi.body.data.kpi.clients[0].workspaceId as number;
    const client = wsClient(servedB.wsUrl);
    type Event = { freshnessChanged: { workspaceId: number; freshness: { origin: string; state: string } } };
    type Update = { kpiUpdated: { changedWorkspaceIds: number[] } };
    const before = b.gateway.events.stats().listeners;
    const events = wsSubscribe<Event>(client, 'subscription { freshnessChanged(dashboard: KPI) { workspaceId freshness { origin state } } }');
    const live = wsSubscribe<Update>(client, 'subscription { kpiUpdated { changedWorkspaceIds kpi { totals { clients } } } }');
    await live.waitFor((u) => u.kpiUpdated.changedWorkspaceIds.length === 0); // B's first snapshot
    await eventually(() => b.gateway.events.stats().listeners >= before + 2, 5_000, 'subscriptions registered on B');
    const callsBefore = sim.control.counters().total;

    // Newer data than B shows: subscribers hear of changes they can see, not of refetches that change nothing.
    clock.advance(30_000);
    const refreshed = await a.query(`mutation { refresh(dashboard: KPI, workspaceId: ${target}) { origin } }`);
    expect(refreshed.body.data.refresh.origin).toBe('UPSTREAM');

    const event = await events.waitFor((e) => e.freshnessChanged.workspaceId === target && e.freshnessChanged.freshness.origin === 'UPSTREAM');
    expect(event.freshnessChanged.freshness.state).toBe('FRESH');
    await live.waitFor((u) => u.kpiUpdated.changedWorkspaceIds.includes(target));
    // Only A went upstream (one call per KPI window); B answered its subscribers from the shared cache.
    expect(sim.control.counters().total - callsBefore).toBe(6);
    await Promise.all([events.close(), live.close()]);
    await client.dispose();
  });
});
