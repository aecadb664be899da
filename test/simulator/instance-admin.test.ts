/**
 * What an Email Bison admin does to the instance while the gateway runs: create, rename and delete
 * workspaces, revoke keys, refuse minting. And the control API's heal, which removes faults only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator';
import { call, createTestSimulator, keyOf } from './harness';

let sim: Simulator;
const LIST = '/api/workspaces/v1.1';
const STATS = '/api/workspaces/v1.1/stats?start_date=2026-11-01&end_date=2026-11-20';
const mint = (ws: number) => call(sim, `/api/workspaces/v1.1/${ws}/api-tokens`, sim.superAdminKey, { method: 'POST', body: { name: 'gateway' } });
const names = async () => new Map(((await call(sim, LIST, sim.superAdminKey)).json.data as { id: number; name: string }[]).map((w) => [w.id, w.name]));

beforeAll(async () => {
  ({ sim } = await createTestSimulator({ workspaces: 6, mailboxes: 300 }));
});
afterAll(() => sim.close());

describe('workspaces created, renamed and deleted', () => {
  it('creates a workspace with the next free id, its own key and a ledger', async () => {
    const before = Math.max(...sim.world.workspaces.map((w) => w.id));
    const res = await call(sim, '/__control/workspaces', null, { method: 'POST', body: { name: 'Brand New Co' } });
    expect(res.status).toBe(200);
    const id = res.json.workspace.id as number;
    expect(id).toBe(before + 1);
    expect(res.json.workspace).toMatchObject({ name: 'Brand New Co', personal_team: false, parent_id: sim.world.workspaces[0].id });
    expect((await names()).get(id)).toBe('Brand New Co');
    const stats = await call(sim, STATS, res.json.apiKey);
    expect(stats.status).toBe(200);
    expect(stats.json.data.emails_sent).toBe(sim.world.window(id, '2026-11-01', '2026-11-20').sent);
    expect(sim.world.mailboxes(id).length).toBeGreaterThanOrEqual(50);
    // Mailbox ids stay unique across workspaces.
    const all = sim.world.workspaces.flatMap((w) => sim.world.mailboxes(w.id).map((m) => m.id));
    expect(new Set(all).size).toBe(all.length);
  });

  it('renames a workspace; its mailboxes keep their addresses', async () => {
    const ws = sim.world.workspaces[1].id;
    const emails = sim.world.mailboxes(ws).map((m) => m.email);
    const res = await call(sim, `/__control/workspaces/${ws}`, null, { method: 'POST', body: { name: 'Renamed Ltd' } });
    expect(res.status).toBe(200);
    expect((await names()).get(ws)).toBe('Renamed Ltd');
    expect(sim.world.mailboxes(ws).map((m) => m.email)).toEqual(emails);
  });

  it('deletes a workspace: gone from the list, its key answers 401, switching to it 404', async () => {
    const ws = sim.world.workspaces[2].id;
    const key = keyOf(sim, ws);
    await call(sim, '/api/workspaces/v1.1/switch-workspace', sim.superAdminKey, { method: 'POST', body: { team_id: ws } });
    expect((await call(sim, `/__control/workspaces/${ws}`, null, { method: 'DELETE' })).status).toBe(200);
    expect((await names()).has(ws)).toBe(false);
    expect((await call(sim, STATS, key)).status).toBe(401);
    expect((await call(sim, '/api/workspaces/v1.1/switch-workspace', sim.superAdminKey, { method: 'POST', body: { team_id: ws } })).status).toBe(404);
    // The super-admin key that was on it is back on the owner's root team.
    expect(sim.control.currentWorkspace(sim.superAdminKey)).toBe(sim.world.workspaces[0].id);
    expect(sim.apiKeys.has(ws)).toBe(false);
  });

  it('refuses to rename or delete the personal team, or to reuse an id, with a message', async () => {
    const root = sim.world.workspaces[0].id;
    expect((await call(sim, `/__control/workspaces/${root}`, null, { method: 'DELETE' })).json.message).toMatch(/personal team/);
    const taken = await call(sim, '/__control/workspaces', null, { method: 'POST', body: { name: 'X', id: root } });
    expect(taken.status).toBe(400);
    expect(taken.json.message).toMatch(/already exists/);
    expect((await call(sim, '/__control/workspaces', null, { method: 'POST', body: { name: ' ' } })).status).toBe(400);
  });
});

describe('keys', () => {
  it('lists minted keys, and revoked ones answer 401', async () => {
    const ws = sim.world.workspaces[1].id;
    const minted = await mint(ws);
    expect(minted.status).toBe(200);
    const token = minted.json.data.plain_text_token as string;
    expect((await call(sim, STATS, token)).status).toBe(200);
    const listed = (await call(sim, '/__control/keys', null)).json.keys as { id: number; workspaceId: number; minted: boolean }[];
    expect(listed.filter((k) => k.workspaceId === ws && k.minted)).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(token.split('|')[1]);
    const revoked = await call(sim, '/__control/keys/revoke', null, { method: 'POST', body: { workspaceId: ws, token } });
    expect(revoked.json.revoked).toBe(1);
    expect((await call(sim, STATS, token)).status).toBe(401);
    expect((await call(sim, STATS, keyOf(sim, ws))).status).toBe(200); // only that key
  });

  it('can refuse minting (403) like instances that do not allow it', async () => {
    await call(sim, '/__control/minting', null, { method: 'POST', body: { enabled: false } });
    const refused = await mint(sim.world.workspaces[1].id);
    expect(refused.status).toBe(403);
    expect(refused.json).toEqual({ message: 'This action is unauthorized.' });
    await call(sim, '/__control/minting', null, { method: 'POST', body: { enabled: true } });
    expect((await mint(sim.world.workspaces[1].id)).status).toBe(200);
  });
});

describe('heal', () => {
  it('removes every fault and nothing else', async () => {
    const ws = sim.world.workspaces[1].id;
    const today = sim.world.today();
    sim.world.record(ws, today, { interested: 3 });
    const before = sim.world.day(ws, today).interested;
    sim.control.addFault({ errorRate: 1 });
    expect((await call(sim, STATS, keyOf(sim, ws))).status).toBe(500);
    sim.control.resetCounters();
    const healed = await call(sim, '/__control/heal', null, { method: 'POST' });
    expect(healed.json).toEqual({ healed: 1 });
    expect(sim.control.faults()).toEqual([]);
    expect((await call(sim, STATS, keyOf(sim, ws))).status).toBe(200);
    expect(sim.world.day(ws, today).interested).toBe(before); // the simulated data did not go back
    expect(sim.control.counters().total).toBe(1);
  });
});
