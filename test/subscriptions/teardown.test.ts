/**
 * Subscriptions clean up after themselves: 1,000 graphql-ws subscribe/unsubscribe cycles (and SSE
 * ones, and a socket cut without goodbye) leave no event listeners, watched cache keys, timers or
 * memory behind; idle connections get heartbeats (WebSocket pings, SSE comments).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway';
import { eventually, serve, sseSubscribe, wsClient, wsSubscribe, type Served, type Subscription } from './clients';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const FRESHNESS = 'subscription { freshnessChanged(dashboard: KPI) { workspaceId freshness { state } } }';
const LIVE_KPI = 'subscription { kpiUpdated { changedWorkspaceIds kpi { totals { clients } } } }';

describe('subscription teardown and heartbeats', () => {
  let t: TestGateway;
  let served: Served;
  const counts = { watch: 0, unwatch: 0 };
  const listeners = () => t.gateway.events.stats().listeners;
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

  beforeAll(async () => {
    t = await createTestGateway({ sim: { workspaces: 3, mailboxes: 30 } });
    served = await serve(t, { keepAliveMs: 100 });
    // The schema reaches the cache through the same object, so counting here counts every watch.
    const cache = t.gateway.services.cache;
    const [watch, unwatch] = [cache.watch, cache.unwatch];
    cache.watch = (...args) => (counts.watch++, watch(...args));
    cache.unwatch = (...args) => (counts.unwatch++, unwatch(...args));
    await t.query('{ kpi { totals { clients } } }');
  });
  afterAll(async () => {
    await served.close();
    await t.close();
  });

  async function wsCycles(client: ReturnType<typeof wsClient>, cycles: number, batch = 50): Promise<void> {
    for (let done = 0; done < cycles; done += batch) {
      const subs: Subscription[] = [];
      for (let i = 0; i < batch; i++) subs.push(wsSubscribe(client, i % 10 === 0 ? LIVE_KPI : FRESHNESS));
      await eventually(() => listeners() === batch, 10_000, `${batch} subscriptions registered`);
      await Promise.all(subs.map((s) => s.close()));
      await eventually(() => listeners() === 0, 10_000, 'all released');
    }
  }

  it('1,000 graphql-ws subscribe/unsubscribe cycles leave no listeners, watched keys, timers or memory', async () => {
    const client = wsClient(served.wsUrl);
    await wsCycles(client, 100); // warm-up: code paths compiled, pools filled
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const timersBefore = timers();

    await wsCycles(client, 1_000);
    gc();
    const grownBytes = process.memoryUsage().heapUsed - heapBefore;

    expect(listeners()).toBe(0);
    expect(counts.watch).toBeGreaterThan(1_000);
    expect(counts.unwatch).toBe(counts.watch);
    // A recompute the last subscribers started may still be finishing (its deadline timer goes with it); a leak would stay.
    await eventually(() => timers() <= timersBefore, 5_000, 'timers back to what they were');
    expect(grownBytes).toBeLessThan(8 * 1024 * 1024);
    await client.dispose();
  });

  it('SSE subscribers that disconnect, and WebSockets cut without goodbye, are released too', async () => {
    for (let round = 0; round < 5; round++) {
      const subs = Array.from({ length: 20 }, () => sseSubscribe(served.url, FRESHNESS));
      await eventually(() => listeners() === 20, 10_000, 'SSE subscriptions registered');
      await Promise.all(subs.map((s) => s.close()));
      await eventually(() => listeners() === 0, 10_000, 'SSE subscriptions released');
    }

    let socket: WebSocket | null = null;
    const client = wsClient(served.wsUrl);
    client.on('connected', (s) => (socket = s as WebSocket));
    wsSubscribe(client, FRESHNESS);
    wsSubscribe(client, LIVE_KPI);
    await eventually(() => listeners() === 2, 10_000, 'subscriptions registered');
    socket!.terminate(); // no Complete, no close frame: the server must notice on its own
    await eventually(() => listeners() === 0, 10_000, 'released after the cut');
    expect(counts.unwatch).toBe(counts.watch);
    expect(served.ws.connections()).toBe(0);
    await client.dispose();
  });

  it('keeps idle connections alive: WebSocket pings and SSE comment lines', async () => {
    let pings = 0;
    class CountingPings extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols);
        this.on('ping', () => pings++);
      }
    }
    const client = wsClient(served.wsUrl, undefined, { webSocketImpl: CountingPings });
    const idle = wsSubscribe(client, FRESHNESS);
    await eventually(() => pings >= 3, 5_000, 'three pings on an idle WebSocket');
    await idle.close();
    await client.dispose();

    let comments = 0;
    const sse = sseSubscribe(served.url, FRESHNESS, undefined, { onComment: () => comments++ });
    // The subscription starts with the current freshness of every workspace it follows, then idles.
    const followed = (await t.query('{ kpi { clients { workspaceId } } }')).body.data.kpi.clients.length;
    await eventually(() => sse.values.length === followed, 5_000, `the current value of each of the ${followed} workspaces`);
    const commentsAtStart = comments;
    await eventually(() => comments >= commentsAtStart + 3, 5_000, 'three keep-alive comments on an idle SSE stream');
    expect(sse.values.length).toBe(followed);
    await sse.close();
  });
});
