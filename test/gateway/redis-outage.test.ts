/**
 * A replica under load while its Redis dies: the real `src/main.ts` in a child process, on
 * Postgres and a redis-server of our own that we kill -9 (it comes back empty) and restart on the
 * same port. Four clients keep asking for dashboards whose TTL is 2 s, so refreshes, leases and
 * subscription events all hit the dead Redis. The replica must never exit, answer >= 99 % of
 * requests with data and none slower than 2 s, and be back to full service (answers no longer
 * flagged as served from its own memory, Redis reachable on /ready) within 5 s of Redis returning.
 *
 * Durations: the issue measured a 20 s outage. What broke shows in the first seconds (a crash 3.5 s
 * after the kill; reads stalled in the offline queue at once), so the outage here lasts
 * REDIS_OUTAGE_MS (default 7 s) to keep the suite short; run with REDIS_OUTAGE_MS=20000 for the
 * full length. A 2 s blip comes first and must cost no failed request at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_COPY_NOTE } from '../../src/sources/freshness';
import { gqlOver, startReplica, type Replica } from '../support/main-process';
import { eventually } from '../subscriptions/clients';

const OUTAGE_MS = Number(process.env.REDIS_OUTAGE_MS ?? 7_000);
const BLIP_MS = 2_000;
const CLIENTS = 6;
const QUERY = '{ kpi { clients { workspaceId leadsGenerated freshness { message } } errors { code } } infrastructure { totals { mailboxes } } }';

interface Sample {
  at: number;
  ms: number;
  ok: boolean;
  /** Served from the replica's own memory (Redis unreachable). */
  local: boolean;
}

describe('a replica whose Redis is killed under load (src/main.ts in a child process)', () => {
  let replica: Replica;

  /**
   * Keeps `concurrency` clients asking (each pausing `thinkMs` between requests: steady load, not a
   * CPU hog that would slow the suites running beside this one) while `work` runs; one sample per request.
   */
  async function underLoad(work: () => Promise<void>, concurrency = 4, thinkMs = 20): Promise<Sample[]> {
    const samples: Sample[] = [];
    let running = true;
    const client = async () => {
      while (running) {
        const started = performance.now();
        let ok = false;
        let local = false;
        try {
          const { status, body } = await gqlOver(replica.main.url, replica.token, QUERY);
          const kpi = body.data?.kpi;
          ok = status === 200 && !body.errors && kpi.errors.length === 0 && kpi.clients.length === CLIENTS && body.data.infrastructure.totals.mailboxes > 0;
          local = ok && kpi.clients.some((c: { freshness: { message: string | null } }) => c.freshness.message?.includes(LOCAL_COPY_NOTE));
        } catch {
          ok = false;
        }
        samples.push({ at: performance.now(), ms: performance.now() - started, ok, local });
        await sleep(thinkMs);
      }
    };
    const clients = Array.from({ length: concurrency }, client);
    try {
      await work();
    } finally {
      running = false;
      await Promise.all(clients);
    }
    return samples;
  }

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const ready = async () => (await fetch(`${replica.main.url}/ready`)).json();

  beforeAll(async () => {
    replica = await startReplica({
      sim: { seed: 'redis-outage', workspaces: CLIENTS + 1, mailboxes: 300, latencyMs: { min: 20, max: 60 } },
      clients: CLIENTS,
      env: { CACHE_TTL_KPI_SECONDS: '2', CACHE_TTL_INFRASTRUCTURE_SECONDS: '2', RATE_LIMIT_PER_MINUTE: '1000000', LOG_LEVEL: 'warn' },
    });
    expect((await gqlOver(replica.main.url, replica.token, QUERY)).body.data.kpi.clients).toHaveLength(CLIENTS);
  }, 60_000);
  afterAll(() => replica?.close());

  it(`a ${BLIP_MS / 1000} s blip costs no failed request`, async () => {
    const samples = await underLoad(async () => {
      await sleep(500);
      await replica.redis.kill();
      await sleep(BLIP_MS);
      await replica.redis.start();
      await sleep(1_000);
    });
    expect(samples.length).toBeGreaterThan(50);
    if (process.env.REPORT_FIGURES) console.log('FIGURES blip', JSON.stringify({ requests: samples.length, failed: samples.filter((s) => !s.ok).length, maxMs: Math.round(Math.max(...samples.map((s) => s.ms))) }));
    expect(samples.filter((s) => !s.ok)).toEqual([]);
    expect(Math.max(...samples.map((s) => s.ms))).toBeLessThan(2_000);
    expect(replica.main.child.exitCode).toBeNull();
  }, 30_000);

  it(`survives a ${OUTAGE_MS / 1000} s outage: >= 99 % answered with data, none slower than 2 s, full service within 5 s of Redis returning`, async () => {
    let back = 0;
    let fullService = 0;
    let duringOutage: { ready: number; body: any } | null = null;
    const samples = await underLoad(async () => {
      await sleep(1_000);
      await replica.redis.kill();
      await sleep(OUTAGE_MS / 2);
      const res = await fetch(`${replica.main.url}/ready`);
      duringOutage = { ready: res.status, body: await res.json() };
      await sleep(OUTAGE_MS / 2);
      await replica.redis.start();
      back = performance.now();
      // Full service: Redis reachable again, and answers served through it (no longer flagged).
      await eventually(async () => (await ready()).redis === true, 10_000, 'Redis reachable on /ready');
      await eventually(async () => {
        const { body } = await gqlOver(replica.main.url, replica.token, QUERY);
        return body.data?.kpi.clients.every((c: { freshness: { message: string | null } }) => !c.freshness.message?.includes(LOCAL_COPY_NOTE));
      }, 10_000, 'answers served through Redis again');
      fullService = performance.now() - back;
      await sleep(1_000);
    });

    expect(replica.main.child.exitCode).toBeNull();
    const answered = samples.filter((s) => s.ok).length;
    if (process.env.REPORT_FIGURES) console.log('FIGURES', JSON.stringify({ OUTAGE_MS, requests: samples.length, answered, local: samples.filter((s) => s.local).length, maxMs: Math.round(Math.max(...samples.map((s) => s.ms))), fullServiceMs: Math.round(fullService) }));
    expect(samples.length).toBeGreaterThan(100);
    expect(answered / samples.length).toBeGreaterThanOrEqual(0.99);
    expect(Math.max(...samples.map((s) => s.ms))).toBeLessThan(2_000);
    // The outage really happened under load: answers were served from the replica's own copy, flagged.
    expect(samples.filter((s) => s.local).length).toBeGreaterThan(10);
    expect(duringOutage).toMatchObject({ ready: 200, body: { ready: true, redis: false, degraded: expect.arrayContaining(['redis']) } });
    expect(fullService).toBeLessThan(5_000);
    // Events Redis could not take were counted, not thrown.
    const metrics = await (await fetch(`${replica.main.url}/metrics`)).text();
    expect(Number(/^bison_events_publish_failures_total (\d+)/m.exec(metrics)?.[1])).toBeGreaterThan(0);
    expect(replica.main.stderr()).toBe('');
  }, 60_000);
});
