/**
 * The README's several-machines recipe (`npm run cluster`, scripts/cluster-lib.ts), end to end: a
 * throwaway Redis and Postgres, the simulator, three replicas of the built gateway and the
 * round-robin balancer. Every replica answers a KPI query through the balancer with the same
 * numbers (one registry, one cache), and stopping leaves no process behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive, startCluster, type Cluster } from '../../scripts/cluster-lib';

describe('npm run cluster: three replicas, Redis and Postgres on one machine', () => {
  let cluster: Cluster | undefined;
  const lines: string[] = [];

  beforeAll(async () => {
    // Its own Redis and Postgres, whatever this shell's DATABASE_URL and REDIS_URL say.
    cluster = await startCluster({ port: 0, workspaces: 4, latencyMs: 0, databaseUrl: null, redisUrl: null, build: false /* dist/ is built before the tests */, log: (l) => void lines.push(l) });
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('every replica answers the KPI dashboard through the balancer', async () => {
    const c = cluster!;
    expect(c.replicas).toHaveLength(3);
    expect(c.databaseUrl).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    const answers = await Promise.all(Array.from({ length: 6 }, async () => {
      const res = await fetch(`${c.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${c.adminToken}` },
        body: JSON.stringify({ query: '{ kpi { totals { clients leadsGenerated } errors { code } } }' }),
      });
      return { replica: res.headers.get('x-bison-replica'), status: res.status, body: await res.json() };
    }));
    expect(new Set(answers.map((a) => a.replica))).toEqual(new Set(['1', '2', '3']));
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.body.errors).toBeUndefined();
      expect(a.body.data.kpi.totals.clients).toBe(3);
      expect(a.body.data.kpi.errors).toEqual([]);
    }
    expect(new Set(answers.map((a) => a.body.data.kpi.totals.leadsGenerated)).size).toBe(1);
    // Without the token the balancer passes the replica's 401 through.
    expect((await fetch(`${c.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' })).status).toBe(401);
  }, 60_000);

  it('stops cleanly, leaving no process behind', async () => {
    const c = cluster!;
    const pids = c.pids();
    expect(pids.length).toBe(5); // three replicas, redis-server, the Postgres postmaster
    expect(pids.every(isAlive)).toBe(true);
    await c.stop();
    cluster = undefined;
    expect(pids.filter(isAlive)).toEqual([]);
    await expect(fetch(`${c.url}/health`)).rejects.toThrow();
    expect(lines.filter((l) => l.includes('exited') || l.includes('while stopping'))).toEqual([]);
  }, 60_000);
});
