/**
 * Super-admin-only configuration: no api-user keys, every call goes through the one super-admin key,
 * whose "current workspace" is shared server-side state. 27 client workspaces fetched concurrently
 * must each show exactly their own ledger numbers (the real incident showed several clients the
 * same numbers), and the simulator must have seen the switches.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock';
import type { RequestRecord } from '../../src/simulator';
import { createTestGateway, type TestGateway } from '../support/gateway';
import { expectKpiMatchesLedger, registryClients } from './kpi-ledger';
import { FEBRUARY_28, MARCH_2 } from './kpi-scenarios';

const SWITCH = 'POST /api/workspaces/v1.1/switch-workspace';
const STATS = 'GET /api/workspaces/v1.1/stats';

describe('super-admin key only, 27 workspaces at once', () => {
  const clock = new ManualClock(FEBRUARY_28.at);
  let t: TestGateway;
  beforeAll(async () => {
    // 28 workspaces = the root team + 27 clients; a few mailboxes each (KPI needs none).
    t = await createTestGateway({ clock, superAdminOnly: true, sim: { workspaces: 28, mailboxes: 280 } });
  });
  afterAll(() => t.close());

  it('registers the clients without keys', async () => {
    const res = await t.query('{ clients { workspaceId hasApiKey } }');
    expect(res.body.data.clients).toHaveLength(27);
    expect(res.body.data.clients.every((c: { hasApiKey: boolean }) => !c.hasApiKey)).toBe(true);
  });

  it('shows every workspace its own ledger numbers, and the simulator saw the switches', async () => {
    t.sim.control.resetCounters();
    const rows = await expectKpiMatchesLedger(t, FEBRUARY_28);
    expect(rows).toHaveLength(27);
    // Mixing would be invisible if the numbers were alike: they are not.
    expect(new Set(rows.map((r) => r.emailsSent)).size).toBeGreaterThan(20);

    const counters = t.sim.control.counters();
    expect(Object.keys(counters.byKey)).toEqual(['super-admin#1']);
    const recent = counters.recent as RequestRecord[];
    const switches = recent.filter((r) => r.endpoint === SWITCH);
    expect(switches.length).toBeGreaterThanOrEqual(27);
    expect(switches.every((r) => r.status === 200)).toBe(true);
    // A request is recorded under the workspace current at its arrival: each workspace's six
    // windows were asked while that workspace was current, once each.
    const statsPerWorkspace = new Map<number, number>();
    for (const r of recent.filter((x) => x.endpoint === STATS)) statsPerWorkspace.set(r.workspaceId!, (statsPerWorkspace.get(r.workspaceId!) ?? 0) + 1);
    expect(Object.fromEntries(statsPerWorkspace)).toEqual(Object.fromEntries(rows.map((r) => [r.workspaceId, 6])));
  });

  it('stays correct on a second cold load at another instant', async () => {
    await t.query('mutation { clearCache }');
    clock.set(MARCH_2.at);
    expect((await registryClients(t)).length).toBe(27);
    await expectKpiMatchesLedger(t, MARCH_2);
  });
});
