import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statsResponse } from '../../src/sources/email-bison/schemas';
import type { Simulator } from '../../src/simulator';
import { call, createTestSimulator, keyOf } from './harness';

let sim: Simulator;
let a: number;
let b: number;
const STATS = '/api/workspaces/v1.1/stats?start_date=2026-11-01&end_date=2026-11-20';
const SWITCH = '/api/workspaces/v1.1/switch-workspace';

beforeAll(async () => {
  ({ sim } = await createTestSimulator({ latencyMs: 40 }));
  const active = sim.world.workspaces.filter((w) => sim.world.profile(w.id).activity === 'active');
  [a, b] = [active[0].id, active[1].id];
});
afterAll(() => sim.close());

const sentOf = (ws: number) => sim.world.window(ws, '2026-11-01', '2026-11-20').sent;
const statsWith = async (key: string) => statsResponse.parse((await call(sim, STATS, key)).json).data.emails_sent;

describe('super-admin keys share one current workspace', () => {
  it('switch-workspace accepts team_id or workspace_id and changes what the key sees', async () => {
    await call(sim, SWITCH, sim.superAdminKey, { method: 'POST', body: { team_id: a } });
    expect(await statsWith(sim.superAdminKey)).toBe(sentOf(a));
    await call(sim, SWITCH, sim.superAdminKey, { method: 'POST', body: { workspace_id: b } });
    expect(await statsWith(sim.superAdminKey)).toBe(sentOf(b));
    expect(sim.control.currentWorkspace(sim.superAdminKey)).toBe(b);
    expect((await call(sim, SWITCH, sim.superAdminKey, { method: 'POST', body: { team_id: 999 } })).status).toBe(404);
    expect((await call(sim, SWITCH, sim.superAdminKey, { method: 'POST', body: {} })).status).toBe(422);
  });

  it('mixes workspaces when a careless client switches and fetches in parallel', async () => {
    // Two "switch then fetch" chains run concurrently on one key: both switches land before
    // either fetch (each call takes 40 ms), so both fetches see the last workspace switched to.
    const chain = async (ws: number) => {
      await call(sim, SWITCH, sim.superAdminKey, { method: 'POST', body: { team_id: ws } });
      return statsWith(sim.superAdminKey);
    };
    const [forA, forB] = await Promise.all([chain(a), chain(b)]);
    expect(sentOf(a)).not.toBe(sentOf(b));
    expect(forA).toBe(forB); // workspace A was shown B's numbers (or the other way round)
    expect([sentOf(a), sentOf(b)]).toContain(forA);
  });

  it('leaves api-user keys immune to switches', async () => {
    const results = await Promise.all([
      call(sim, SWITCH, sim.superAdminKey, { method: 'POST', body: { team_id: b } }),
      statsWith(keyOf(sim, a)),
      call(sim, SWITCH, sim.superAdminKey, { method: 'POST', body: { team_id: a } }),
      statsWith(keyOf(sim, b)),
    ]);
    expect(results[1]).toBe(sentOf(a));
    expect(results[3]).toBe(sentOf(b));
  });
});

describe('api-user keys', () => {
  it('cannot switch workspace or mint keys (403)', async () => {
    const key = keyOf(sim, a);
    expect((await call(sim, SWITCH, key, { method: 'POST', body: { team_id: b } })).status).toBe(403);
    expect((await call(sim, `/api/workspaces/v1.1/${a}/api-tokens`, key, { method: 'POST', body: { name: 'x' } })).status).toBe(403);
    expect(await statsWith(key)).toBe(sentOf(a));
  });
});
