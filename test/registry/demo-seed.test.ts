import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, createSecretBox, seedDemoClients, type DemoWorkspace, type Registry } from '../../src/sources/registry';
import { withDatabase, type TestDatabase } from '../support/databases';

// 27 client workspaces with ids 2..46 (gaps), plus the owner's personal team, as on a real instance.
const ids = [2, 3, 4, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 22, 23, 25, 27, 29, 30, 32, 34, 36, 37, 40, 43, 46];
const workspaces: DemoWorkspace[] = [{ id: 1, name: 'Agency HQ', personal_team: true }, ...ids.map((id) => ({ id, name: `Client ${id}`, personal_team: false }))];

describe('demo seed', () => {
  let t: TestDatabase;
  let registry: Registry;
  beforeAll(async () => {
    t = await withDatabase('pglite');
    registry = createRegistry(t.db, createSecretBox(randomBytes(32)));
  });
  afterAll(() => t.cleanup());

  it('registers every non-personal workspace with targets in the documented magnitudes', async () => {
    expect(await seedDemoClients(registry, workspaces, new Map([[3, '3|demo-key-for-three']]))).toBe(27);
    const clients = await registry.list();
    expect(clients.map((c) => c.workspaceId)).toEqual(ids);
    for (const c of clients) {
      expect(c.active).toBe(true);
      expect([0, 50, 100, 200, 300]).toContain(c.monthlyKpiTarget);
      const basis = c.monthlyKpiTarget || 100;
      expect(c.monthlySendingTarget).toBe(basis * 455);
      expect(c.dailySendingTarget).toBe((basis / 100) * 1750);
      const [amount, min, max] = c.billingType === 'PER_LEAD' ? [c.pricePerLead, 25, 60] : [c.retainerAmount, 2000, 6000];
      expect(amount).toBeGreaterThanOrEqual(min);
      expect(amount).toBeLessThanOrEqual(max);
    }
    expect(clients.filter((c) => c.billingType === 'RETAINER')).toHaveLength(4);
    expect(clients.filter((c) => c.monthlyKpiTarget === 0).length).toBeGreaterThanOrEqual(1);
    expect(clients.filter((c) => c.monthlyKpiTarget === 0).length).toBeLessThanOrEqual(2);
    expect(new Set(clients.map((c) => c.monthlyKpiTarget)).size).toBeGreaterThanOrEqual(4);
    expect(await registry.apiKeyFor(3)).toBe('3|demo-key-for-three');
  });

  it('is idempotent and leaves an admin edit alone', async () => {
    const before = await registry.list();
    await registry.upsert({ workspaceId: 4, monthlyKpiTarget: 999 });
    expect(await seedDemoClients(registry, workspaces, new Map([[5, '5|demo-key-for-five']]))).toBe(0);
    const after = await registry.list();
    expect(after).toHaveLength(before.length);
    expect(after.find((c) => c.workspaceId === 4)?.monthlyKpiTarget).toBe(999);
    expect(await registry.apiKeyFor(5)).toBe('5|demo-key-for-five');
  });
});
