/**
 * Subscription events through a Redis that dies (a redis-server of our own, killed -9): publishing
 * never throws or rejects unhandled (it used to crash the process with MaxRetriesPerRequestError),
 * failures are counted, this replica's subscribers keep hearing this replica's events, delivery
 * through Redis resumes by itself when it is back, and close() never raises.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayEvents, type FreshnessPayload, type GatewayEvents } from '../../src/server/events';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { eventually } from './clients';

const payload = (n: number): FreshnessPayload => ({
  key: `stats:${n}:2026-11-01:2026-11-20`, kind: 'stats', workspaceId: n,
  meta: {
    key: `stats:${n}:2026-11-01:2026-11-20`, workspaceId: n, fetchedAt: 1, origin: 'UPSTREAM', refreshing: false, nextRefreshAt: null,
    message: null, error: null, failingSince: null, invalidatedAt: null,
  },
});

describe('gateway events through a Redis that dies', () => {
  let redis: RedisServer;
  let events: GatewayEvents;
  let other: GatewayEvents;
  beforeAll(async () => {
    redis = await startRedisServer();
    const channelPrefix = `events-${Date.now()}`;
    events = createGatewayEvents({ redisUrl: redis.url, channelPrefix, redisTimeoutMs: 200 });
    other = createGatewayEvents({ redisUrl: redis.url, channelPrefix, redisTimeoutMs: 200 });
  });
  afterAll(async () => {
    await redis.stop();
  });

  it('keeps delivering locally and counting failures while Redis is down, and through Redis again when it is back', async () => {
    const mine: number[] = [];
    const theirs: number[] = [];
    const listen = async (source: GatewayEvents, into: number[]) => {
      for await (const e of source.subscribe('freshness')) into.push(e.workspaceId!);
    };
    void listen(events, mine);
    void listen(other, theirs);
    await eventually(async () => {
      events.pubsub.publish('freshness', payload(1));
      await new Promise((r) => setTimeout(r, 20));
      return theirs.includes(1);
    }, 5_000, 'the other replica to hear through Redis');
    expect(events.redisReachable()).toBe(true);

    await redis.kill();
    await eventually(() => events.redisReachable() === false, 5_000, 'the loss to be noticed');
    for (let n = 2; n <= 6; n++) events.pubsub.publish('freshness', payload(n));
    await eventually(() => [2, 3, 4, 5, 6].every((n) => mine.includes(n)), 5_000, 'this replica\'s subscribers to hear its own events');
    await eventually(() => events.stats().publishFailures >= 5, 5_000, 'the failed publishes to be counted');
    expect(theirs.filter((n) => n > 1)).toEqual([]); // nothing could carry them to the other replica

    await redis.start();
    await eventually(() => events.redisReachable() === true && other.redisReachable() === true, 10_000, 'both to reconnect');
    await eventually(async () => {
      events.pubsub.publish('freshness', payload(7));
      await new Promise((r) => setTimeout(r, 20));
      return theirs.includes(7);
    }, 10_000, 'delivery through Redis to resume (resubscribed after the restart)');
  });

  it('closes without raising, even while Redis is dead and subscribers are still listening', async () => {
    const iterator = events.subscribe('freshness');
    const next = iterator.next();
    await redis.kill();
    await expect(events.close()).resolves.toBeUndefined();
    await expect(other.close()).resolves.toBeUndefined();
    await iterator.return?.();
    await next.catch(() => {});
  });
});
