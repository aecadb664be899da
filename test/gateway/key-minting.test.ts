/**
 * Minting api-user keys the way production runs it: two replicas starting at the same moment on
 * the real Postgres mint each workspace's key exactly once; a minted key answering 401 is replaced
 * once (and not again within the cool-down, the super-admin key serving meanwhile); an instance
 * that refuses minting (403) is asked once, and the super-admin key serves every workspace, with
 * correct numbers, in workspace groups, and `health` says so.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock';
import { startSimulator, type RequestRecord, type Simulator, type SimulatorOptions } from '../../src/simulator';
import { dropSchema } from '../../src/sources/db';
import { TEST_DATABASE_URL } from '../support/databases';
import { createTestGateway, type TestGateway } from '../support/gateway';
import { expectKpiMatchesLedger, KPI_QUERY } from './kpi-ledger';
import { FEBRUARY_28 } from './kpi-scenarios';

const MINT = 'POST /api/workspaces/v1.1/{team_id}/api-tokens';
const SWITCH = 'POST /api/workspaces/v1.1/switch-workspace';
const STATS = 'GET /api/workspaces/v1.1/stats';
const recentOf = (sim: Simulator) => sim.control.counters().recent as RequestRecord[];
const clientIds = (sim: Simulator) => sim.world.workspaces.filter((w) => !w.personal_team).map((w) => w.id);
const mintedKeys = (sim: Simulator, workspaceId?: number) => sim.control.keys().filter((k) => k.minted && (workspaceId === undefined || k.workspaceId === workspaceId));

/** Two replicas of a real-instance deployment on one simulator and one Postgres schema, created at the same moment. */
function twoReplicas(simOptions: SimulatorOptions): { sim: () => Simulator; replicas: () => TestGateway[] } {
  const clock = new ManualClock(FEBRUARY_28.at);
  const dbSchema = `gw_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  let sim: Simulator;
  let replicas: TestGateway[];
  beforeAll(async () => {
    sim = await startSimulator({ clock, seed: 'test', rateLimit: false, ...simOptions });
    replicas = await Promise.all([0, 1].map(() => createTestGateway({ clock, simulator: sim, realInstance: true, database: 'postgres', dbSchema })));
  });
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.close()));
    await sim.close();
    await dropSchema(TEST_DATABASE_URL, dbSchema);
  });
  return { sim: () => sim, replicas: () => replicas };
}

describe('two replicas started at the same moment on the real Postgres', () => {
  // Mints take a while (10–40 ms each), so both replicas are claiming while the other mints.
  const deployment = twoReplicas({ latencyMs: { min: 10, max: 40 } });

  it('mint each workspace\'s key exactly once, and both serve every row correctly', async () => {
    const sim = deployment.sim();
    const replicas = deployment.replicas();
    await Promise.all(replicas.map((r) => r.gateway.start()));
    const [a, b] = await Promise.all(replicas.map((r) => expectKpiMatchesLedger(r, FEBRUARY_28)));
    expect(a).toHaveLength(26);
    expect(b).toEqual(a);
    expect(recentOf(sim).filter((r) => r.endpoint === MINT)).toHaveLength(26);
    expect(mintedKeys(sim).map((k) => k.workspaceId).sort()).toEqual(clientIds(sim).sort());
    const { rows } = await replicas[0].gateway.services.db.query<{ mints: number; n: number }>('SELECT mints, count(*) AS n FROM api_key_mints GROUP BY mints');
    expect(rows).toEqual([{ mints: 1, n: 26 }]);
  });
});

describe('a minted key that starts answering 401', () => {
  const clock = new ManualClock(FEBRUARY_28.at);
  let t: TestGateway;
  let ws: number;
  const mints = () => recentOf(t.sim).filter((r) => r.endpoint === MINT).length;
  const refreshed = async () => {
    const res = await t.query(`mutation { refresh(dashboard: KPI, workspaceId: ${ws}) { state origin } }`);
    expect(res.body.errors).toBeUndefined();
    return res.body.data.refresh;
  };
  beforeAll(async () => {
    t = await createTestGateway({ clock, realInstance: true, sim: { workspaces: 4, mailboxes: 80 } });
    await t.gateway.start();
    await expectKpiMatchesLedger(t, FEBRUARY_28);
    ws = clientIds(t.sim)[0];
  });
  afterAll(() => t.close());

  it('is replaced once, and the refresh succeeds on the new key', async () => {
    const before = mints();
    expect(t.sim.control.revokeKeys(ws)).toBe(2); // the seeded key and the minted one
    expect(await refreshed()).toEqual({ state: 'FRESH', origin: 'UPSTREAM' });
    expect(mints()).toBe(before + 1);
    expect(mintedKeys(t.sim, ws)).toHaveLength(1);
    const unauthorized = recentOf(t.sim).filter((r) => r.status === 401);
    expect(unauthorized.length).toBeGreaterThanOrEqual(1);
    await expectKpiMatchesLedger(t, FEBRUARY_28);
  });

  it('is not replaced again within the cool-down: the super-admin key serves it meanwhile, correctly', async () => {
    const before = mints();
    t.sim.control.revokeKeys(ws);
    t.sim.control.resetCounters();
    expect(await refreshed()).toEqual({ state: 'FRESH', origin: 'UPSTREAM' });
    expect(mints()).toBe(0);
    const recent = recentOf(t.sim);
    expect(recent.filter((r) => r.endpoint === STATS && r.status === 200).every((r) => r.key === 'super-admin#1' && r.workspaceId === ws)).toBe(true);
    await expectKpiMatchesLedger(t, FEBRUARY_28);
    const health = await t.query('{ health { issues } }');
    expect(health.body.data.health.issues).toContainEqual(expect.stringMatching(/^1 workspace\(s\) are served by the super-admin key, one workspace at a time/));
    expect(before).toBeGreaterThan(0);
  });

  it('is minted again once the cool-down has passed', async () => {
    t.sim.control.resetCounters();
    clock.advance(11 * 60_000);
    expect(await refreshed()).toEqual({ state: 'FRESH', origin: 'UPSTREAM' });
    expect(mints()).toBe(1);
    expect(mintedKeys(t.sim, ws)).toHaveLength(1);
  });
});

describe('an instance that refuses minting (403)', () => {
  const clock = new ManualClock(FEBRUARY_28.at);
  let t: TestGateway;
  beforeAll(async () => {
    t = await createTestGateway({ clock, realInstance: true, sim: { minting: false, latencyMs: { min: 1, max: 12 } } });
  });
  afterAll(() => t.close());

  it('is asked at most once per workspace; the super-admin key serves all 26 with their own numbers, one switch per workspace', async () => {
    t.sim.control.resetCounters();
    const rows = await expectKpiMatchesLedger(t, FEBRUARY_28); // the cold load, no start(): nothing else runs
    expect(rows).toHaveLength(26);
    expect(new Set(rows.map((r) => r.emailsSent)).size).toBeGreaterThan(20);
    const recent = recentOf(t.sim);
    // Mints go out in parallel; the first 403 withdraws those still queued (here all were sent at once).
    const mints = recent.filter((r) => r.endpoint === MINT);
    expect(mints.length).toBeGreaterThanOrEqual(1);
    expect(mints.length).toBeLessThanOrEqual(26);
    expect(mints.every((r) => r.status === 403)).toBe(true);
    const switches = recent.filter((r) => r.endpoint === SWITCH);
    const stats = recent.filter((r) => r.endpoint === STATS);
    expect(switches).toHaveLength(26);
    expect(stats).toHaveLength(26 * 6);
    // Each request is recorded under the workspace current at its arrival: six windows each, as asked.
    const perWorkspace = new Map<number, number>();
    for (const r of stats) perWorkspace.set(r.workspaceId!, (perWorkspace.get(r.workspaceId!) ?? 0) + 1);
    expect(Object.fromEntries(perWorkspace)).toEqual(Object.fromEntries(rows.map((r) => [r.workspaceId, 6])));
    expect(t.gateway.services.keys.state()).toBe('refused');
    expect(t.gateway.services.breakers.snapshot().every((b) => b.state === 'closed')).toBe(true);
  });

  it('does not ask again within the hour: a second cold load makes no mint call', async () => {
    await t.query('mutation { clearCache }');
    t.sim.control.resetCounters();
    await expectKpiMatchesLedger(t, FEBRUARY_28);
    expect(recentOf(t.sim).filter((r) => r.endpoint === MINT)).toHaveLength(0);
    expect(recentOf(t.sim).filter((r) => r.endpoint === SWITCH)).toHaveLength(26);
  });

  it('says so in health', async () => {
    const res = await t.query('{ health { issues } }');
    expect(res.body.data.health.issues).toContainEqual(
      '26 workspace(s) are served by the super-admin key, one workspace at a time: Email Bison refused to mint api-user keys (403). ' +
        'Give them api-user keys with upsertClient(input: { workspaceId, apiKey }) for parallel loads.',
    );
  });

  it('never mixes workspaces while refreshes of random workspaces race each other and full loads', async () => {
    const ids = clientIds(t.sim);
    const race = [];
    for (let i = 0; i < 40; i++) {
      const ws = ids[(i * 7) % ids.length];
      race.push(t.query(`mutation { refresh(dashboard: KPI, workspaceId: ${ws}) { state } }`));
      if (i % 10 === 0) race.push(t.query('mutation { clearCache(dashboard: KPI) }'), t.query(KPI_QUERY));
    }
    const answers = await Promise.all(race);
    expect(answers.every((a) => a.status === 200 && !a.body.errors)).toBe(true);
    await expectKpiMatchesLedger(t, FEBRUARY_28);
  });
});

describe('two replicas sharing one refusing instance on the real Postgres', () => {
  const deployment = twoReplicas({ minting: false, latencyMs: { min: 1, max: 12 } });

  it('never interleave two workspaces on the one super-admin key: both cold loads are correct in every row', async () => {
    const sim = deployment.sim();
    const replicas = deployment.replicas();
    // Each replica has its own in-memory cache, so both fetch everything through the same key at once.
    const [a, b] = await Promise.all(replicas.map((r) => expectKpiMatchesLedger(r, FEBRUARY_28)));
    expect(a).toHaveLength(26);
    expect(b).toEqual(a);
    const switches = recentOf(sim).filter((r) => r.endpoint === SWITCH).length;
    const stats = recentOf(sim).filter((r) => r.endpoint === STATS).length;
    expect(stats).toBe(2 * 26 * 6);
    expect(switches).toBeLessThan(stats);
  });
});
