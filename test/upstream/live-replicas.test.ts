/**
 * The one live-replica count (src/sources/replicas.ts) behind both "my share" fallbacks: Redis's
 * heartbeat set while Redis answers; while it does not, the larger of the last Redis count and
 * Postgres's (a replica that started during the outage is seen; fewer in Postgres never widens a
 * share); unknown until either has answered. On the real Redis, with a runner that can be cut.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createRedisConnection } from '../../src/sources/cache/redis-connection';
import { scriptRunner, type RunScript } from '../../src/sources/cache/redis-commands';
import { createLiveReplicas, type LiveReplicas } from '../../src/sources/replicas';
import { REDIS_URL } from '../support/gateway';

describe('how many replicas are live', () => {
  const prefix = `bgw-test:live:${randomUUID().slice(0, 8)}`;
  const connection = createRedisConnection({ url: REDIS_URL, timeoutMs: 1_000 });
  const real = scriptRunner(() => connection.client());
  let cut = false;
  const run: RunScript = (script, keys, args) => (cut ? Promise.reject(new Error('Redis does not answer')) : real(script, keys, args));
  const made: LiveReplicas[] = [];
  const replica = (runner: RunScript = run) => {
    const r = createLiveReplicas({ run: runner, prefix, instanceId: randomUUID(), heartbeatMs: 60_000 });
    made.push(r);
    return r;
  };
  afterAll(async () => {
    for (const r of made) await r.close();
    await connection.close();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('counts the heartbeats in Redis; a replica that closes leaves at once', async () => {
    const [a, b, c] = [replica(), replica(), replica()];
    await Promise.all([a, b, c].map((r) => r.heartbeat()));
    expect(await a.heartbeat()).toBe(true);
    expect(a.count()).toBe(3);
    a.usePostgresCount(() => 7); // Redis answers: it is the count
    expect(a.count()).toBe(3);
    await c.close();
    made.splice(made.indexOf(c), 1);
    await a.heartbeat();
    expect(a.count()).toBe(2);
  });

  it('while Redis does not answer: the larger of its last count and Postgres\'s', async () => {
    const a = made[0];
    a.usePostgresCount(() => null);
    const told: boolean[] = [];
    const off = a.onHeartbeat((answered) => told.push(answered));
    cut = true;
    expect(await a.heartbeat()).toBe(false);
    expect(told).toEqual([false]);
    expect(a.count()).toBe(2); // the last count Redis gave
    a.usePostgresCount(() => 4); // a replica started during the outage, counted in Postgres
    expect(a.count()).toBe(4);
    a.usePostgresCount(() => 1); // replicas not sharing one Postgres: each sees itself there
    expect(a.count()).toBe(2);
    cut = false;
    expect(await a.heartbeat()).toBe(true);
    expect(told).toEqual([false, true]);
    off();
  });

  it('is unknown until one of them has answered', async () => {
    const down: RunScript = () => Promise.reject(new Error('Redis does not answer'));
    const lone = replica(down);
    await lone.heartbeat();
    expect(lone.count()).toBeNull();
    lone.usePostgresCount(() => 3);
    expect(lone.count()).toBe(3);
  });

  it('a heartbeat listener that throws does not make the heartbeat reject (it runs from a timer)', async () => {
    const r = replica();
    const heard: boolean[] = [];
    r.onHeartbeat(() => { throw new Error('a listener bug'); });
    r.onHeartbeat((answered) => void heard.push(answered));
    await expect(r.heartbeat()).resolves.toBe(true);
    cut = true;
    try {
      await expect(r.heartbeat()).resolves.toBe(false);
    } finally {
      cut = false;
    }
    expect(heard.slice(-2)).toEqual([true, false]); // the listener after the throwing one still heard both
    await r.close();
    made.splice(made.indexOf(r), 1);
  });

});
