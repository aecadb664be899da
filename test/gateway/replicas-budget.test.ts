/**
 * Production shape, on the real Redis and Postgres: three replicas of a real-instance deployment
 * (discovery, minted api-user keys) start at the same moment in front of an Email Bison limited to
 * 60 calls a minute per key, burst 10 (EMAIL_BISON.md). They prime their caches and serve a cold
 * load of all four dashboards each, at once. One budget per key shared through Redis keeps the
 * three together under every key's limit: not one 429, and no key over 60 calls in any minute.
 *
 * The simulator's clock runs 8× faster than real time (its limit is 60 per simulated minute,
 * 480 per real one) and the gateway is paced at 400 a real minute (burst 5): production's 50 for
 * 60, sped up, so a simulated minute lasts 7.5 s and the busiest key needs more than one. The
 * cache's waits on another replica's fetch are sped up alike: as in production, a mailbox list
 * that takes longer to walk than an interactive read waits for it is walked by the waiting
 * replicas too, on the same key, and only the shared budget keeps that under the limit.
 * Without the shared budget the three replicas send three bursts and three rates (about 150 a
 * simulated minute) and Email Bison answers 429.
 *
 * Then: a 429 with Retry-After seen by one replica holds the key on the others; and with Redis
 * gone (a throwaway redis-server, killed), each replica paces a key at rate ÷ live replicas.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { systemClock, type Clock } from '../../src/clock';
import { startSimulator, type RequestRecord, type Simulator } from '../../src/simulator';
import { dropSchema } from '../../src/sources/db';
import { TEST_DATABASE_URL } from '../support/databases';
import { keyIdOf } from '../../src/sources/email-bison/access';
import { createTestGateway, FAST_RETRY, TEST_ENCRYPTION_KEY, type TestGateway } from '../support/gateway';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { settled } from './resilience-support';

/** A clock `factor` times faster than the wall clock, from now on. */
function fastClock(factor: number): Clock {
  const start = Date.now();
  return { now: () => start + (Date.now() - start) * factor };
}

const SIM_SPEED = 8;
const LIMIT = { perMinute: 60, burst: 10 };

const ALL_FOUR = `{
  kpi { clients { workspaceId leadsGenerated } errors { workspaceId code message } }
  volume { clients { workspaceId emailsSent emailsScheduledToday } errors { workspaceId code message } }
  revenue { clients { workspaceId revenue costs } errors { workspaceId code message } }
  infrastructure { totals { mailboxes } byWorkspace { workspaceId mailboxes } errors { workspaceId code message } }
}`;

/** The most requests in any `ms` of the simulator's clock (each window starting at a request). */
function busiestWindow(ats: number[], ms: number): number {
  const sorted = [...ats].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= ms) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

function byKey(recent: RequestRecord[]): Map<string, number[]> {
  const keys = new Map<string, number[]>();
  for (const r of recent) if (r.key) (keys.get(r.key) ?? keys.set(r.key, []).get(r.key)!).push(r.at);
  return keys;
}

describe('three replicas starting together against a 60/min-per-key Email Bison', () => {
  const dbSchema = `gw_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const cachePrefix = `bgw-test:${randomUUID().slice(0, 8)}`;
  let sim: Simulator;
  let replicas: TestGateway[] = [];

  afterAll(async () => {
    await replicas[0]?.gateway.services.cache.clear(undefined, { keepFallback: false });
    await Promise.all(replicas.map((r) => r.close()));
    await sim?.close();
    await dropSchema(TEST_DATABASE_URL, dbSchema);
  });

  it('prime and cold-load all four dashboards with zero 429s; no key exceeds 60 calls in any minute', async () => {
    // 8 workspaces (7 clients), 3,000 mailboxes: the largest workspace has 59 pages of 15.
    sim = await startSimulator({ clock: fastClock(SIM_SPEED), seed: 'test', rateLimit: LIMIT, workspaces: 8, mailboxes: 3000, latencyMs: { min: 5, max: 15 } });
    const env = {
      UPSTREAM_RATE_PER_MINUTE: String(50 * SIM_SPEED),
      UPSTREAM_BURST: '5',
      REQUEST_DEADLINE_MS: '120000',
    };
    const shared = {
      clock: systemClock, simulator: sim, realInstance: true, database: 'postgres' as const, cache: 'redis' as const, dbSchema, cachePrefix, env,
      // Everything that waits on another replica's fetch is sped up alike: the lease (60 s) and an interactive read's wait for it (15 s).
      gateway: { retry: { ...FAST_RETRY, deadlineMs: 60_000 }, cache: { leaseMs: 60_000 / SIM_SPEED, waitMs: 15_000 / SIM_SPEED } },
    };
    replicas = await Promise.all([0, 1, 2].map(() => createTestGateway(shared)));
    for (const r of replicas) expect(r.gateway.services.pace.mode()).toBe('shared');

    await Promise.all(replicas.map((r) => r.gateway.start())); // discovery, minting, priming
    const answers = await Promise.all(replicas.map((r) => r.query(ALL_FOUR)));
    const clients = sim.world.workspaces.filter((w) => !w.personal_team).map((w) => w.id).sort((a, b) => a - b);
    for (const res of answers) {
      expect(res.body.errors).toBeUndefined();
      for (const d of ['kpi', 'volume', 'revenue', 'infrastructure']) expect(res.body.data[d].errors, d).toEqual([]);
      expect(res.body.data.kpi.clients.map((c: { workspaceId: number }) => c.workspaceId).sort((a: number, b: number) => a - b)).toEqual(clients);
    }
    await Promise.all(replicas.map((r) => settled(r, 60_000)));

    const { byStatus, recent } = sim.control.counters();
    const keys = byKey(recent as RequestRecord[]);
    const perMinute = [...keys].map(([key, ats]) => ({ key, calls: ats.length, busiestMinute: busiestWindow(ats, 60_000) }));
    const busiest = perMinute.reduce((a, b) => (b.calls > a.calls ? b : a));
    if (process.env.REPORT_FIGURES) console.log('FIGURES 3 replicas', JSON.stringify({ byStatus, busiest, keys: perMinute.length }));
    expect(byStatus['429']).toBeUndefined();
    for (const k of perMinute) expect(k.busiestMinute, k.key).toBeLessThanOrEqual(LIMIT.perMinute);
    // The limit binds: the busiest key needed more than a minute's worth of calls.
    expect(busiest.calls).toBeGreaterThan(LIMIT.perMinute);
    expect(clients.length).toBe(7);
    expect(keys.size).toBe(clients.length + 1); // the minted keys and the super-admin key
  }, 120_000);
});

/** Two or three demo-mode replicas (seeded api-user keys) on a shared Postgres schema and Redis prefix, on the wall clock. */
async function demoReplicas(n: number, sim: Simulator, env: Record<string, string>): Promise<{ replicas: TestGateway[]; cleanup(): Promise<void> }> {
  const dbSchema = `gw_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const cachePrefix = `bgw-test:${randomUUID().slice(0, 8)}`;
  const shared = {
    clock: systemClock, simulator: sim, database: 'postgres' as const, cache: 'redis' as const, dbSchema, cachePrefix,
    env: { ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, REQUEST_DEADLINE_MS: '60000', SHUTDOWN_GRACE_MS: '200', ...env },
    gateway: { retry: { ...FAST_RETRY, deadlineMs: 60_000 } },
  };
  // One after the other: the first registers the demo clients, the others find them.
  const replicas: TestGateway[] = [];
  for (let i = 0; i < n; i++) replicas.push(await createTestGateway(shared));
  return {
    replicas,
    async cleanup() {
      await Promise.all(replicas.map((r) => r.close()));
      await dropSchema(TEST_DATABASE_URL, dbSchema);
    },
  };
}

const refresh = (t: TestGateway, dashboard: string, ws: number) => t.query(`mutation { refresh(dashboard: ${dashboard}, workspaceId: ${ws}) { state origin } }`);

describe('a Retry-After seen by one replica', () => {
  let sim: Simulator;
  let deployment: Awaited<ReturnType<typeof demoReplicas>>;
  afterAll(async () => {
    await deployment?.cleanup();
    await sim?.close();
  });

  it('holds the key on the other replica until it has passed', async () => {
    sim = await startSimulator({ clock: systemClock, seed: 'test', rateLimit: false, workspaces: 3, mailboxes: 30 });
    deployment = await demoReplicas(2, sim, {}); // paced far above the upstream's limit: only Email Bison says no
    const [a, b] = deployment.replicas;
    const ws = sim.world.workspaces.find((w) => !w.personal_team)!.id;
    const key = `api-user#${sim.control.keys().find((k) => k.workspaceId === ws && k.kind === 'api-user')!.id}`;
    sim.control.resetCounters();
    sim.control.setRateLimit({ perMinute: 20, burst: 1 }); // one call, then Retry-After: 3

    // A: one call takes the key's only token, the next is refused (and retried by A once the hold is over).
    const stats = (day: string) => a.gateway.services.client.fetch({ kind: 'stats', workspaceId: ws, start: day, end: day }, { priority: 'interactive', triggeredBy: 'request' });
    await stats('2026-11-01');
    const retried = stats('2026-11-02');
    const recent = () => sim.control.counters().recent as RequestRecord[];
    await vi.waitFor(() => expect(recent().some((r) => r.status === 429)).toBe(true), { timeout: 10_000, interval: 5 });
    const refusedAt = recent().find((r) => r.status === 429)!.at;
    await new Promise((r) => setTimeout(r, 100)); // A tells Redis
    const second = refresh(b, 'VOLUME', ws); // B: today's window and the schedules, on the same key
    const later = () => recent().filter((r) => r.key === key && r.at > refusedAt);
    await vi.waitFor(() => expect(later().length).toBeGreaterThan(0), { timeout: 20_000, interval: 20 });

    // Nothing reached Email Bison on that key before the Retry-After had passed, from either replica,
    expect(Math.min(...later().map((r) => r.at)) - refusedAt).toBeGreaterThanOrEqual(2_900);
    // and that one refusal is the only one.
    expect(recent().filter((r) => r.status === 429)).toHaveLength(1);
    // Both slowed the key down: Redis holds one pace for it.
    const keyId = keyIdOf({ baseUrl: sim.url, key: sim.apiKeys.get(ws)!, kind: 'api-user' });
    for (const r of [a, b]) expect(r.gateway.services.scheduler.rateOf(keyId)).toBeLessThanOrEqual(18); // 0.9 × one call per 3 s
    void Promise.allSettled([retried, second]); // the rest goes on at the slower pace; closing ends it
  }, 60_000);
});

describe('Redis gone', () => {
  let redis: RedisServer;
  let sim: Simulator;
  let deployment: Awaited<ReturnType<typeof demoReplicas>>;
  afterAll(async () => {
    await deployment?.cleanup();
    await sim?.close();
    await redis?.stop();
  });

  it('each replica paces a key at rate ÷ live replicas (the last count it saw), never at the full rate', async () => {
    redis = await startRedisServer();
    sim = await startSimulator({ clock: systemClock, seed: 'test', rateLimit: false, workspaces: 3, mailboxes: 30 });
    // 60 a minute, burst 6: three replicas fall back to 20 a minute and a burst of 2 each.
    deployment = await demoReplicas(3, sim, { REDIS_URL: redis.url, REDIS_TIMEOUT_MS: '200', REPLICA_HEARTBEAT_MS: '200', UPSTREAM_RATE_PER_MINUTE: '60', UPSTREAM_BURST: '6' });
    const { replicas } = deployment;
    await vi.waitFor(() => { for (const r of replicas) expect(r.gateway.services.pace.replicas()).toBe(3); }, { timeout: 10_000, interval: 50 });

    await redis.kill();
    await vi.waitFor(() => { for (const r of replicas) expect(r.gateway.services.pace.mode()).toBe('fallback'); }, { timeout: 10_000, interval: 50 });
    const ws = sim.world.workspaces.find((w) => !w.personal_team)!.id;
    const keyId = keyIdOf({ baseUrl: sim.url, key: sim.apiKeys.get(ws)!, kind: 'api-user' });
    for (const r of replicas) {
      expect(r.gateway.services.pace.replicas()).toBe(3);
      expect(r.gateway.services.scheduler.rateOf(keyId)).toBe(20);
    }

    sim.control.resetCounters();
    const started = performance.now();
    // Each replica refreshes the workspace's KPI: six calls each, eighteen on one key.
    const pending = replicas.map((r) => refresh(r, 'KPI', ws));
    await new Promise((r) => setTimeout(r, 2_000));
    const sent = (sim.control.counters().recent as RequestRecord[]).filter((r) => r.workspaceId === ws);
    if (process.env.REPORT_FIGURES) console.log('FIGURES Redis down', JSON.stringify({ sentIn2s: sent.length, waitedMs: Math.round(performance.now() - started) }));
    // Within two seconds: a burst of 2 per replica (the full burst would let all 18 go at once).
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.length).toBeLessThanOrEqual(6);
    for (const r of replicas) expect(r.gateway.services.store.health().reachable).toBe(false);
    void Promise.allSettled(pending);
  }, 60_000);
});
