/**
 * The shared upstream budget (src/sources/upstream/shared-pace.ts) on the real Redis: schedulers
 * standing in for replicas, each with its own shared pace on one key prefix. Together they stay
 * inside one key's rate and burst; a 429 seen by one holds the key on the others and slows it for
 * all; a cold queue costs one Redis call per key, not one per call; and with Redis gone (a
 * throwaway redis-server, killed) each falls back to its share, rate ÷ live replicas.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { Redis } from 'ioredis';
import { systemClock } from '../../src/clock';
import { createRedisConnection, type RedisConnection } from '../../src/sources/cache/redis-connection';
import { scriptRunner, type RedisCommands } from '../../src/sources/cache/redis-commands';
import { createSharedBuckets } from '../../src/sources/cache/shared-buckets';
import { createLiveReplicas, type LiveReplicas } from '../../src/sources/replicas';
import { createUpstreamScheduler, type UpstreamScheduler } from '../../src/sources/upstream/scheduler';
import { createSharedPace, type SharedPace } from '../../src/sources/upstream/shared-pace';
import { REDIS_URL } from '../support/gateway';
import { startRedisServer, type RedisServer } from '../support/redis-server';

interface Replica { pace: SharedPace; live: LiveReplicas; scheduler: UpstreamScheduler; evals: () => number }

const open: { connections: RedisConnection[]; replicas: Replica[]; prefixes: string[] } = { connections: [], replicas: [], prefixes: [] };

/** One replica: a connection through the cache's helper, a shared pace on `prefix`, a scheduler on it. */
async function replica(url: string, prefix: string, opts: { ratePerMinute: number; burst: number; heartbeatMs?: number }): Promise<Replica> {
  const connection = createRedisConnection({ url, timeoutMs: 300 });
  open.connections.push(connection);
  let evals = 0;
  const counting = async (): Promise<RedisCommands> => {
    const raw = await connection.client();
    return { ...raw, eval: (script, o) => ((evals += 1), raw.eval(script, o)) };
  };
  const run = scriptRunner(counting);
  const live = createLiveReplicas({ run, prefix, instanceId: randomUUID(), heartbeatMs: opts.heartbeatMs ?? 60_000 });
  const pace = createSharedPace({ buckets: createSharedBuckets(run, prefix), replicas: live, clock: systemClock, ...opts });
  const scheduler = createUpstreamScheduler({ concurrency: 16, ratePerMinute: opts.ratePerMinute, burst: opts.burst, paceSource: pace });
  const r = { pace, live, scheduler, evals: () => evals };
  open.replicas.push(r);
  await pace.heartbeat();
  return r;
}

const newPrefix = () => {
  const prefix = `bgw-test:pace:${randomUUID().slice(0, 8)}`;
  open.prefixes.push(prefix);
  return prefix;
};

afterEach(async () => {
  for (const r of open.replicas.splice(0)) {
    await r.scheduler.close(100);
    await r.pace.close();
    await r.live.close();
  }
  for (const c of open.connections.splice(0)) await c.close();
});
afterAll(async () => {
  const redis = new Redis(REDIS_URL);
  for (const prefix of open.prefixes) {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
  }
  redis.disconnect();
});

/** Start times of `n` calls of one key spread round-robin over the replicas. */
async function startsOf(replicas: Replica[], n: number, keyId = 'key-1'): Promise<number[]> {
  const starts: number[] = [];
  await Promise.all(Array.from({ length: n }, (_, i) => replicas[i % replicas.length].scheduler.run({ keyId, priority: 'interactive' }, async () => void starts.push(performance.now()))));
  return starts.sort((a, b) => a - b);
}

/** The most calls seen in any window of `ms` (each window starts at a call). */
function busiest(starts: number[], ms: number): number {
  let most = 0;
  for (let i = 0, j = 0; i < starts.length; i++) {
    while (starts[i] - starts[j] >= ms) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('one budget per key across replicas (real Redis)', () => {
  it('three replicas together take one burst, then the key\'s rate: not three bursts', async () => {
    const prefix = newPrefix();
    // 120 a minute = one call per 500 ms after a burst of 4.
    const replicas = await Promise.all([0, 1, 2].map(() => replica(REDIS_URL, prefix, { ratePerMinute: 120, burst: 4 })));
    const starts = await startsOf(replicas, 9);
    // Alone, each replica would start 4 at once: 9 within the first few ms. Shared: 4, then one per 500 ms.
    expect(busiest(starts, 200)).toBeLessThanOrEqual(4);
    expect(starts[8] - starts[0]).toBeGreaterThanOrEqual(5 * 500 - 100);
    for (const r of replicas) expect(r.pace.mode()).toBe('shared');
  });

  it('a queue of calls on a cold key costs one Redis call for its burst, not one per call', async () => {
    const prefix = newPrefix();
    const [r] = await Promise.all([replica(REDIS_URL, prefix, { ratePerMinute: 6_000, burst: 8 })]);
    const before = r.evals();
    await startsOf([r], 8);
    expect(r.evals() - before).toBe(1);
  });

  it('gives back leased tokens it could not use in time (the pool was full), so other replicas may', async () => {
    const prefix = newPrefix();
    // One token a minute: nothing refills during the test, so the bucket shows what was taken and given back.
    const r = await replica(REDIS_URL, prefix, { ratePerMinute: 1, burst: 4 });
    const small = createUpstreamScheduler({ concurrency: 2, ratePerMinute: 1, burst: 4, paceSource: r.pace });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // Two keys, four calls each, two slots: each key leases two tokens, and one slot each runs.
    const calls = ['x', 'y'].flatMap((k) => Array.from({ length: 4 }, () => small.run({ keyId: k, priority: 'interactive' }, () => gate)));
    const redis = new Redis(REDIS_URL);
    try {
      const tokens = async (k: string) => Number(await redis.hget(`${prefix}:pace:key:${k}`, 't'));
      await vi.waitFor(async () => expect(await tokens('y')).toBeGreaterThanOrEqual(2.9), { timeout: 5_000, interval: 50 }); // 4 − 2 leased + 1 given back
      expect(await tokens('x')).toBeGreaterThanOrEqual(2.9);
      expect(await tokens('x')).toBeLessThan(3.1);
    } finally {
      redis.disconnect();
      release();
      await small.close(100);
      await Promise.allSettled(calls);
    }
  });

  it('a Retry-After seen by one replica holds the key on the others, and slows it for all', async () => {
    const prefix = newPrefix();
    const [a, b] = await Promise.all([0, 1].map(() => replica(REDIS_URL, prefix, { ratePerMinute: 600, burst: 5 })));
    await startsOf([a], 1);
    a.scheduler.pause('key-1', 1_500);
    await vi.waitFor(() => expect(a.pace.ratePerMinute('key-1')).toBe(36)); // min(600 / 2, 0.9 × 60 000 / 1 500), as Redis said
    const asked = performance.now();
    await startsOf([b], 1);
    expect(performance.now() - asked).toBeGreaterThanOrEqual(1_400);
    expect(b.pace.ratePerMinute('key-1')).toBe(36);
    // Other keys are not held.
    const other = performance.now();
    await startsOf([b], 1, 'key-2');
    expect(performance.now() - other).toBeLessThan(1_000);
  });
});

describe('a shared bucket follows its configuration (real Redis)', () => {
  it('a bucket never refused takes a raised rate at once, not as a slowed bucket creeping back', async () => {
    const connection = createRedisConnection({ url: REDIS_URL, timeoutMs: 1_000 });
    open.connections.push(connection);
    const buckets = createSharedBuckets(scriptRunner(() => connection.client()), newPrefix());
    const want = (n: number) => new Map([['rate:token:1', n]]);
    const slow = { ratePerMinute: 60, burst: 1, ttlMs: 60_000 };
    expect((await buckets.take(slow, want(5))).get('rate:token:1')!.granted).toBe(1); // its burst
    // A redeploy raises the limit to 6,000 a minute (100 a second): 300 ms refill some 30.
    const fast = { ratePerMinute: 6_000, burst: 100, ttlMs: 60_000 };
    await new Promise((r) => setTimeout(r, 300));
    const { granted, ratePerMinute } = (await buckets.take(fast, want(100))).get('rate:token:1')!;
    expect(ratePerMinute).toBe(6_000);
    expect(granted).toBeGreaterThanOrEqual(10); // the old rate (or a slowed size of 1) would give 1 at most
  });
});

describe('Redis gone: each replica paces at its share', () => {
  let server: RedisServer;
  afterAll(() => server?.stop());

  it('falls back to rate ÷ live replicas (the last count), never the full rate, and comes back with Redis', async () => {
    server = await startRedisServer();
    const prefix = newPrefix();
    const replicas = await Promise.all([0, 1, 2].map(() => replica(server.url, prefix, { ratePerMinute: 180, burst: 6, heartbeatMs: 200 })));
    await Promise.all(replicas.map((r) => r.pace.heartbeat()));
    for (const r of replicas) expect(r.pace.replicas()).toBe(3);

    await server.kill();
    await vi.waitFor(() => { for (const r of replicas) expect(r.pace.mode()).toBe('fallback'); }, { timeout: 5_000, interval: 50 });
    for (const r of replicas) {
      expect(r.pace.replicas()).toBe(3);
      expect(r.pace.ratePerMinute('key-1')).toBe(60); // 180 ÷ 3
    }
    // Each replica: a burst of 2 (6 ÷ 3), then one a second. Together 6 at once, then 3 a second: the key's budget, not three times it.
    const starts = await startsOf(replicas, 9);
    expect(busiest(starts, 500)).toBeLessThanOrEqual(6);
    expect(starts[8] - starts[0]).toBeGreaterThanOrEqual(900);

    // More replicas live in Postgres than Redis last counted (one started during the outage): a narrower share, at the next heartbeat.
    replicas[0].live.usePostgresCount(() => 4);
    await vi.waitFor(() => expect(replicas[0].pace.ratePerMinute('key-1')).toBe(45), { timeout: 5_000, interval: 50 }); // 180 ÷ 4
    expect(replicas[0].pace.replicas()).toBe(4);
    // Fewer in Postgres never widens it: the last count from Redis stands.
    replicas[1].live.usePostgresCount(() => 1);
    await replicas[1].pace.heartbeat();
    expect(replicas[1].pace.ratePerMinute('key-1')).toBe(60);

    await server.start();
    await vi.waitFor(() => { for (const r of replicas) expect(r.pace.mode()).toBe('shared'); }, { timeout: 10_000, interval: 50 });
    expect(replicas[0].pace.ratePerMinute('key-1')).toBe(180);
    await vi.waitFor(() => expect(replicas[0].pace.replicas()).toBe(3), { timeout: 5_000, interval: 50 }); // Redis counts again (the restarted one is empty: heartbeats refill it)
  }, 30_000);
});
