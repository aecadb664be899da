/**
 * What a warm dashboard request costs Redis, counted by Redis itself: a gateway on a redis-server
 * of our own (cache and subscription events both on it, nothing else talks to it), primed, then N
 * warm requests between two `INFO commandstats`. A count, not a time: it holds on a loaded machine.
 * Before client tracking a warm KPI request cost ~121 commands (one meta GET per resource read).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUERIES, DASHBOARDS } from '../../bench/lib/queries';
import { createTestGateway, type TestGateway } from '../support/gateway';
import { commandsExecuted, startRedisServer, type RedisServer } from '../support/redis-server';

const N = 40;

describe('warm requests on the Redis cache', () => {
  let redis: RedisServer;
  let t: TestGateway;

  async function ok(query: string): Promise<void> {
    const { status, body } = await t.query(query);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    for (const dashboard of Object.values(body.data as Record<string, { errors?: unknown[] }>)) expect(dashboard.errors ?? []).toEqual([]);
  }

  /** Commands per request over `n` requests made by `send(i)`. */
  async function perRequest(n: number, send: (i: number) => Promise<void>): Promise<number> {
    const before = await commandsExecuted(redis.url);
    for (let i = 0; i < n; i++) await send(i);
    return ((await commandsExecuted(redis.url)) - before) / n;
  }

  beforeAll(async () => {
    redis = await startRedisServer();
    t = await createTestGateway({ sim: { workspaces: 8, mailboxes: 400 }, env: { REDIS_URL: redis.url, RATE_LIMIT_PER_MINUTE: '1000000' } });
    // Cold, then once warm: every entry read once more, so this replica's connection tracks it.
    for (let round = 0; round < 2; round++) for (const d of DASHBOARDS) await ok(QUERIES[d]);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  it(`a warm KPI request costs at most 2 Redis commands (averaged over ${N})`, async () => {
    const upstreamBefore = t.upstreamCalls();
    const commands = await perRequest(N, () => ok(QUERIES.kpi));
    if (process.env.REPORT_FIGURES) console.log('FIGURES kpi commands/request', commands);
    expect(t.upstreamCalls()).toBe(upstreamBefore); // warm: nothing fetched
    expect(commands).toBeLessThanOrEqual(2);
  });

  it(`a mix of the four dashboards costs at most 2 Redis commands per request (averaged over ${N})`, async () => {
    const commands = await perRequest(N, (i) => ok(QUERIES[DASHBOARDS[i % DASHBOARDS.length]]));
    if (process.env.REPORT_FIGURES) console.log('FIGURES mix commands/request', commands);
    expect(commands).toBeLessThanOrEqual(2);
  });
});
