/**
 * The agency's own Email Bison with nothing but its super-admin key: the gateway registers every
 * client workspace at start (named from Email Bison, no targets), mints one api-user key each,
 * stores them encrypted and fetches every workspace on its own key; the KPI dashboard shows all
 * of them with the ledger's numbers without any call by the user. Discovery follows the instance.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock';
import type { RequestRecord } from '../../src/simulator';
import { createTestGateway, type TestGateway } from '../support/gateway';
import { expectKpiMatchesLedger, KPI_QUERY, registryClients } from './kpi-ledger';
import { FEBRUARY_28 } from './kpi-scenarios';

const MINT = 'POST /api/workspaces/v1.1/{team_id}/api-tokens';
const clientWorkspaces = (t: TestGateway) => t.sim.world.workspaces.filter((w) => !w.personal_team);
const mintedPerWorkspace = (t: TestGateway) => {
  const counts = new Map<number, number>();
  for (const k of t.sim.control.keys()) if (k.minted) counts.set(k.workspaceId!, (counts.get(k.workspaceId!) ?? 0) + 1);
  return counts;
};

describe('a real instance: only the super-admin key (and GATEWAY_ADMIN_TOKEN, ENCRYPTION_KEY)', () => {
  const clock = new ManualClock(FEBRUARY_28.at);
  let t: TestGateway;
  beforeAll(async () => {
    t = await createTestGateway({ clock, realInstance: true, sim: { latencyMs: { min: 2, max: 15 } } });
  });
  afterAll(() => t.close());

  it('has every client workspace registered when it is ready: active, named from Email Bison, no targets', async () => {
    const res = await t.query('{ clients { workspaceId name active monthlyKpiTarget monthlySendingTarget } }');
    const expected = clientWorkspaces(t).map((w) => ({ workspaceId: w.id, name: w.name, active: true, monthlyKpiTarget: 0, monthlySendingTarget: 0 }));
    expect(expected).toHaveLength(26);
    expect(res.body.data.clients).toEqual(expected);
  });

  it('shows all 26 workspaces on KPI with the ledger\'s numbers, each fetched on its own minted key', async () => {
    t.sim.control.resetCounters();
    await t.gateway.start();
    const rows = await expectKpiMatchesLedger(t, FEBRUARY_28);
    expect(rows).toHaveLength(26);
    expect(new Set(rows.map((r) => r.emailsSent)).size).toBeGreaterThan(20); // mixing would show

    // One mint per workspace, each key pinned to its workspace; every stats call on an api-user key.
    expect(Object.fromEntries(mintedPerWorkspace(t))).toEqual(Object.fromEntries(clientWorkspaces(t).map((w) => [w.id, 1])));
    const recent = t.sim.control.counters().recent as RequestRecord[];
    expect(recent.filter((r) => r.endpoint === MINT)).toHaveLength(26);
    const stats = recent.filter((r) => r.endpoint === 'GET /api/workspaces/v1.1/stats');
    expect(stats.length).toBeGreaterThanOrEqual(26 * 6); // KPI's six windows each, and priming's volume windows
    expect(stats.every((r) => r.key?.startsWith('api-user#') && r.status === 200)).toBe(true);
    expect(recent.some((r) => r.endpoint === 'POST /api/workspaces/v1.1/switch-workspace')).toBe(false);

    const clients = await t.query('{ clients { hasApiKey } }');
    expect(clients.body.data.clients.every((c: { hasApiKey: boolean }) => c.hasApiKey)).toBe(true);
  });

  it('says that no targets are set, per workspace', async () => {
    const res = await t.query('{ kpi { warnings { workspaceId rule } } }');
    const noTarget = res.body.data.kpi.warnings.filter((w: { rule: string }) => w.rule === 'NO_KPI_TARGET');
    expect(noTarget.map((w: { workspaceId: number }) => w.workspaceId).sort()).toEqual(clientWorkspaces(t).map((w) => w.id).sort());
  });

  it('records every mint in monitoring and the registry, never the key itself', async () => {
    const { db, recorder } = t.gateway.services;
    await recorder.flush();
    const logs = await db.query<{ n: number }>(
      `SELECT count(*) AS n FROM api_health_logs WHERE endpoint = '/api/workspaces/v1.1/{team_id}/api-tokens' AND success AND status_code = 200`);
    expect(logs.rows[0].n).toBe(26);
    const mints = await db.query<{ state: string; mints: number; n: number }>('SELECT state, mints, count(*) AS n FROM api_key_mints GROUP BY state, mints');
    expect(mints.rows).toEqual([{ state: 'minted', mints: 1, n: 26 }]);
    const stored = await db.query<{ c: string }>('SELECT api_key_ciphertext AS c FROM clients');
    const secrets = t.sim.control.keys().filter((k) => k.minted).map((k) => String(k.id));
    expect(stored.rows.every((r) => r.c.startsWith('v1:') && !secrets.some((id) => r.c.startsWith(`${id}|`)))).toBe(true);
    const health = await t.query('{ health { issues } }');
    expect(health.body.data.health.issues.join(' ')).not.toMatch(/super-admin key/);
  });

  it('keeps upsertClient working: targets on a discovered client, name kept', async () => {
    const ws = clientWorkspaces(t)[0];
    const res = await t.query('mutation { upsertClient(input: { workspaceId: ' + ws.id + ', monthlyKpiTarget: 100 }) { name monthlyKpiTarget hasApiKey } }');
    expect(res.body.data.upsertClient).toEqual({ name: ws.name, monthlyKpiTarget: 100, hasApiKey: true });
  });
});

describe('auto-registration off (EMAIL_BISON_AUTO_REGISTER=false)', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await createTestGateway({ realInstance: true, env: { EMAIL_BISON_AUTO_REGISTER: 'false' }, sim: { workspaces: 5, mailboxes: 100 } });
  });
  afterAll(() => t.close());

  it('registers nothing, lists the workspaces, and upsertClient names a new client after its workspace', async () => {
    expect(await registryClients(t)).toEqual([]);
    const listed = await t.query('{ workspaces { workspaceId name isClient } }');
    expect(listed.body.data.workspaces).toHaveLength(4);
    expect(listed.body.data.workspaces.every((w: { isClient: boolean }) => !w.isClient)).toBe(true);
    const ws = t.sim.world.workspaces[1];
    const res = await t.query(`mutation { upsertClient(input: { workspaceId: ${ws.id} }) { workspaceId name active } }`);
    expect(res.body.data.upsertClient).toEqual({ workspaceId: ws.id, name: ws.name, active: true });
    const kpi = await t.query('{ kpi { clients { workspaceId name } errors { code } } }');
    expect(kpi.body.data.kpi).toEqual({ clients: [{ workspaceId: ws.id, name: ws.name }], errors: [] });
  });

  it('refuses a workspace Email Bison does not list, naming the field', async () => {
    const res = await t.query('mutation { upsertClient(input: { workspaceId: 999 }) { name } }');
    expect(res.body.errors?.[0]).toMatchObject({
      message: 'Invalid name: is required to register a new client: workspace 999 is not among the workspaces discovered in Email Bison',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });
});

describe('discovery follows the instance', () => {
  const clock = new ManualClock(FEBRUARY_28.at);
  let t: TestGateway;
  beforeAll(async () => {
    t = await createTestGateway({ clock, realInstance: true, env: { EMAIL_BISON_DISCOVERY_INTERVAL_SECONDS: '5' }, sim: { workspaces: 6, mailboxes: 300 } });
  });
  afterAll(() => t.close());

  it('adds a new workspace, renames a renamed one and drops a deleted one from the dashboards', async () => {
    const [, a, b, c] = t.sim.world.workspaces;
    await t.query(`mutation { deactivateClient(workspaceId: ${c.id}) { active } }`); // the admin's choice
    const added = t.sim.control.addWorkspace({ name: 'Newcomer Inc' }).workspace;
    t.sim.control.renameWorkspace(a.id, 'Renamed Partners');
    t.sim.control.removeWorkspace(b.id);
    await t.gateway.start(); // discovery repeats every 5 s from here

    await expect.poll(async () => (await registryClients(t)).map((r) => `${r.workspaceId}:${r.name}:${r.active}`), { timeout: 20_000, interval: 250 })
      .toEqual(expect.arrayContaining([`${added.id}:Newcomer Inc:true`, `${a.id}:Renamed Partners:true`, `${b.id}:${b.name}:false`, `${c.id}:${c.name}:false`]));
    const rows = await expectKpiMatchesLedger(t, FEBRUARY_28);
    expect(rows.map((r) => r.workspaceId)).toContain(added.id);
    expect(rows.map((r) => r.workspaceId)).not.toContain(b.id);
    const kpi = await t.query(KPI_QUERY);
    expect(kpi.body.data.kpi.clients.find((r: { workspaceId: number }) => r.workspaceId === a.id).name).toBe('Renamed Partners');
    // The deleted workspace's data stays in the registry; the admin's deactivation was not undone.
    const registry = await registryClients(t);
    expect(registry.find((r) => r.workspaceId === b.id)).toMatchObject({ active: false });
    expect(registry.find((r) => r.workspaceId === c.id)).toMatchObject({ active: false });
    expect(mintedPerWorkspace(t).get(added.id)).toBe(1);
  }, 40_000);
});
