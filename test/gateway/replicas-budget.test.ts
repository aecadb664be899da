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
 * Then: a 429 with Retry-After seen by one replica holds the key on the others.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../../src/clock';
import { startSimulator, type RequestRecord, type Simulator } from '../../src/simulator';
import { dropSchema } from '../../src/sources/db';
import { TEST_DATABASE_URL } from '../support/databases';
import { createTestGateway, FAST_RETRY, type TestGateway } from '../support/gateway';
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
