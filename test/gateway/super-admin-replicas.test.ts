/**
 * Two replicas sharing one super-admin key, on one Postgres schema and one Redis prefix, against
 * an instance that refuses to mint api-user keys: every workspace is served through that one key,
 * whose "current workspace" is server-side state shared by both. The simulator answers each call
 * for the workspace current when it arrives, so a switch by one replica landing between another's
 * switch and its reads mixes data, as in the real incident. Cold loads, forced refreshes of many
 * workspaces and cache clears race on both replicas at once; every row of every answer must equal
 * the ledger of its own workspace. With the key lock per process instead of per key cluster-wide
 * (src/sources/upstream/key-sessions-postgres.ts), this fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock';
import { startSimulator, type RequestRecord, type Simulator } from '../../src/simulator';
import { withDatabase, type TestDatabase } from '../support/databases';
import { createTestGateway, type TestGateway } from '../support/gateway';
import { expectedRow, expectSameNumbers, KPI_QUERY, registryClients, type ExpectedRow } from './kpi-ledger';
import { FEBRUARY_28 } from './kpi-scenarios';

const SWITCH = 'POST /api/workspaces/v1.1/switch-workspace';

describe('two replicas racing on one super-admin key (minting refused), real Postgres and Redis', () => {
  const clock = new ManualClock(FEBRUARY_28.at);
  let sim: Simulator;
  let database: TestDatabase;
  let replicas: TestGateway[];
  let expected: Map<number, ExpectedRow>;

  beforeAll(async () => {
    sim = await startSimulator({ clock, seed: 'test', rateLimit: false, minting: false, workspaces: 13, mailboxes: 130, latencyMs: { min: 1, max: 8 } });
    database = await withDatabase('postgres'); // one schema, opened by both replicas
    const cachePrefix = `bgw-test:${database.schema}`;
    const shared = { clock, simulator: sim, realInstance: true, database: 'postgres' as const, dbSchema: database.schema!, cache: 'redis' as const, cachePrefix };
    replicas = await Promise.all([0, 1].map(() => createTestGateway(shared)));
    const clients = (await registryClients(replicas[0])).filter((c) => c.active);
    expected = new Map(clients.map((c) => [c.workspaceId, expectedRow(sim, c, FEBRUARY_28)]));
  });
  afterAll(async () => {
    await replicas?.[0]?.gateway.services.cache.clear(undefined, { keepFallback: false });
    await Promise.all((replicas ?? []).map((r) => r.close()));
    await sim?.close();
    await database?.cleanup();
  });

  /** Every row of a KPI answer is its own workspace's ledger row; returns how many rows it had. */
  function expectLedgerRows(body: { data?: any; errors?: unknown }, where: string): number {
    expect(body.errors, where).toBeUndefined();
    expect(body.data.kpi.errors, where).toEqual([]);
    for (const row of body.data.kpi.clients) expectSameNumbers(row, { ...expected.get(row.workspaceId)! }, `${where} workspace ${row.workspaceId}`);
    return body.data.kpi.clients.length;
  }

  it('serves every workspace its own numbers while cold loads, refreshes and clears race on both replicas', async () => {
    expect(expected.size).toBe(12);
    // Mixing would be invisible if the numbers were alike: they are not.
    expect(new Set([...expected.values()].map((r) => r.emailsSent)).size).toBeGreaterThanOrEqual(10);
    sim.control.resetCounters();
    const ids = [...expected.keys()];
    const answers: { body: any; where: string }[] = [];
    const ask = (t: TestGateway, n: number, query: string) => t.query(query).then((res) => void answers.push({ body: res.body, where: `replica ${n}: ${query.slice(0, 60)}` }));
    await Promise.all(replicas.map((t, n) => ask(t, n, KPI_QUERY))); // cold loads, at once
    // Rounds of forced refreshes: at the same moment, each replica refreshes two workspaces the
    // other does not, while dashboards are read and the cache cleared.
    for (let round = 0; round < 10; round++) {
      const wave: Promise<void>[] = [];
      replicas.forEach((t, n) => {
        for (const k of [0, 1]) wave.push(ask(t, n, `mutation { refresh(dashboard: KPI, workspaceId: ${ids[(round * 4 + n * 2 + k) % ids.length]}) { state } }`));
        if (round % 2 === n) wave.push(ask(t, n, KPI_QUERY));
        if (round % 3 === 2 && n === 0) wave.push(ask(t, n, 'mutation { clearCache(dashboard: KPI) }'));
      });
      await Promise.all(wave);
    }
    let rows = 0;
    for (const { body, where } of answers) {
      if (body.data?.kpi) rows += expectLedgerRows(body, where);
      else expect(body.errors, where).toBeUndefined();
    }
    expect(rows).toBeGreaterThanOrEqual(2 * 12);
    // After the race, what both replicas serve (from the shared cache) is right too.
    for (const t of replicas) expect(expectLedgerRows((await t.query(KPI_QUERY)).body, 'after the race')).toBe(12);

    // The race was real: both replicas switched the one key, many times.
    const recent = sim.control.counters().recent as RequestRecord[];
    expect(Object.keys(sim.control.counters().byKey)).toEqual(['super-admin#1']);
    expect(recent.filter((r) => r.endpoint === SWITCH).length).toBeGreaterThan(30);
  }, 120_000);
});
