/**
 * Two gateway replicas sharing Redis and Postgres in front of one simulator: a crowd of cold
 * queries spread over both costs one upstream call per resource, and a stale entry is refreshed
 * once across the replicas.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock';
import { startSimulator, type Simulator } from '../../src/simulator';
import { dropSchema } from '../../src/sources/db';
import { TEST_DATABASE_URL } from '../support/databases';
import { createTestGateway, DEFAULT_NOW, type TestGateway } from '../support/gateway';
import { clientWorkspaces, expectedKeys, KPI_QUERY, settled, type KpiAnswer } from './resilience-support';

const STATS = 'GET /api/workspaces/v1.1/stats';

describe('two replicas on one Redis', () => {
  const clock = new ManualClock(DEFAULT_NOW);
  const dbSchema = `gw_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const cachePrefix = `bgw-test:${randomUUID().slice(0, 8)}`;
  let sim: Simulator;
  let a: TestGateway;
  let b: TestGateway;
  let workspaces: number[];

  beforeAll(async () => {
    sim = await startSimulator({ clock, seed: 'test', rateLimit: false, workspaces: 6, mailboxes: 300 });
    // Replicas share the registry, so they share the key its Email Bison keys are encrypted with.
    const env = { ENCRYPTION_KEY: randomBytes(32).toString('base64') };
    const shared = { clock, simulator: sim, database: 'postgres' as const, cache: 'redis' as const, dbSchema, cachePrefix, env };
    a = await createTestGateway(shared);
    b = await createTestGateway(shared);
    workspaces = await clientWorkspaces(a);
  });
  afterAll(async () => {
    await a?.gateway.services.cache.clear(undefined, { keepFallback: false }); // a clean slate per test // the shared prefix is ours to clean up
    await a?.close();
    await b?.close();
    await sim?.close();
    await dropSchema(TEST_DATABASE_URL, dbSchema);
  });

  it('100 cold KPI queries on each replica cost one upstream call per resource', async () => {
    sim.control.resetCounters();
    sim.control.setLatency(30);
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).query<KpiAnswer>(KPI_QUERY)));
    for (const res of answers) {
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data!.kpi.errors).toEqual([]);
      expect(res.body.data!.kpi.clients).toHaveLength(workspaces.length);
    }
    expect(a.upstreamCalls(STATS)).toBe(expectedKeys(a, 'KPI', workspaces).length);
  });

  it('an expired entry read on both replicas is refreshed once', async () => {
    sim.control.resetCounters();
    clock.advance(3 * 60_000);
    const [ra, rb] = await Promise.all([a.query<KpiAnswer>(KPI_QUERY), b.query<KpiAnswer>(KPI_QUERY)]);
    for (const res of [ra, rb]) expect(res.body.data!.kpi.freshness).toMatchObject({ origin: 'CACHE', state: 'STALE', ageSeconds: 180 });
    await settled(a);
    await settled(b);
    expect(a.upstreamCalls(STATS)).toBe(expectedKeys(a, 'KPI', workspaces).length);
    const after = await b.query<KpiAnswer>(KPI_QUERY);
    expect(after.body.data!.kpi.freshness).toMatchObject({ origin: 'CACHE', state: 'FRESH', ageSeconds: 0 });
  });
});
