import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, createSecretBox, RegistryInputError, type Registry } from '../../src/sources/registry';
import { backends, withDatabase, type TestDatabase } from '../support/databases';

const API_KEY = '12|s3cretS3cretS3cret';

describe.each(backends)('registry on %s', (kind) => {
  let t: TestDatabase;
  let registry: Registry;
  beforeAll(async () => {
    t = await withDatabase(kind);
    registry = createRegistry(t.db, createSecretBox(randomBytes(32)));
  });
  afterAll(() => t.cleanup());

  it('registers a client with defaults and returns numbers for money and targets', async () => {
    const client = await registry.upsert({ workspaceId: 3, name: 'Acme', pricePerLead: 42.5, monthlyKpiTarget: 100 });
    expect(client).toEqual({
      workspaceId: 3, name: 'Acme', displayName: null, active: true, billingType: 'PER_LEAD', pricePerLead: 42.5,
      retainerAmount: 0, monthlyKpiTarget: 100, monthlySendingTarget: 0, dailySendingTarget: 0, instanceUrl: null,
      hasApiKey: false, updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(await registry.get(3)).toEqual(client);
  });

  it('keeps the fields a partial update leaves out, and clears what is set to null', async () => {
    await registry.upsert({ workspaceId: 4, name: 'Beta', displayName: 'Beta GmbH', billingType: 'RETAINER', retainerAmount: 3000, monthlyKpiTarget: 200, instanceUrl: 'https://send.example.com/' });
    const updated = await registry.upsert({ workspaceId: 4, monthlyKpiTarget: 300, displayName: null });
    expect(updated).toMatchObject({ name: 'Beta', displayName: null, billingType: 'RETAINER', retainerAmount: 3000, monthlyKpiTarget: 300, instanceUrl: 'https://send.example.com' });
  });

  it('lists in workspace order, optionally only active clients, and deactivates', async () => {
    await registry.upsert({ workspaceId: 2, name: 'Gamma' });
    expect((await registry.list()).map((c) => c.workspaceId)).toEqual([2, 3, 4]);
    const off = await registry.deactivate(2);
    expect(off?.active).toBe(false);
    expect((await registry.list({ activeOnly: true })).map((c) => c.workspaceId)).toEqual([3, 4]);
    expect((await registry.list()).map((c) => c.workspaceId)).toEqual([2, 3, 4]);
    expect(await registry.deactivate(999)).toBeNull();
    expect(await registry.get(999)).toBeNull();
  });

  it('stores the api key encrypted, decrypts it for the upstream client, and never returns it in a record', async () => {
    const record = await registry.upsert({ workspaceId: 5, name: 'Delta', apiKey: API_KEY });
    expect(record.hasApiKey).toBe(true);
    expect(JSON.stringify(record)).not.toContain('s3cret');
    const { rows } = await t.db.query<{ c: string }>('SELECT api_key_ciphertext AS c FROM clients WHERE workspace_id = 5');
    expect(rows[0].c).toMatch(/^v1:/);
    expect(rows[0].c).not.toContain('s3cret');
    expect(await registry.apiKeyFor(5)).toBe(API_KEY);
    // A partial update without apiKey keeps it; null removes it.
    await registry.upsert({ workspaceId: 5, active: true });
    expect(await registry.apiKeyFor(5)).toBe(API_KEY);
    expect((await registry.upsert({ workspaceId: 5, apiKey: null })).hasApiKey).toBe(false);
    expect(await registry.apiKeyFor(5)).toBeNull();
  });

  it.each([
    [{ workspaceId: 0, name: 'X' }, 'workspaceId'],
    [{ workspaceId: 1.5, name: 'X' }, 'workspaceId'],
    [{ workspaceId: 9 }, 'name'],
    [{ workspaceId: 9, name: '   ' }, 'name'],
    [{ workspaceId: 9, name: 'X', pricePerLead: -1 }, 'pricePerLead'],
    [{ workspaceId: 9, name: 'X', pricePerLead: 10.005 }, 'pricePerLead'],
    [{ workspaceId: 9, name: 'X', retainerAmount: Infinity }, 'retainerAmount'],
    [{ workspaceId: 9, name: 'X', monthlyKpiTarget: 2.5 }, 'monthlyKpiTarget'],
    [{ workspaceId: 9, name: 'X', dailySendingTarget: -5 }, 'dailySendingTarget'],
    [{ workspaceId: 9, name: 'X', billingType: 'HOURLY' }, 'billingType'],
    [{ workspaceId: 9, name: 'X', instanceUrl: 'ftp://example.com' }, 'instanceUrl'],
    [{ workspaceId: 9, name: 'X', instanceUrl: 'send.example.com' }, 'instanceUrl'],
    [{ workspaceId: 9, name: 'X', apiKey: 'not-a-sanctum-key' }, 'apiKey'],
  ])('rejects %j naming the field %s', async (input, field) => {
    const error = await registry.upsert(input as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryInputError);
    expect((error as RegistryInputError).field).toBe(field);
    expect(await registry.get(9)).toBeNull();
  });

  it('never echoes a rejected api key', async () => {
    const error = (await registry.upsert({ workspaceId: 9, name: 'X', apiKey: 'abc|short' }).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/apiKey/);
    expect(error.message).not.toContain('short');
  });

  it('records manual monthly costs per client and month', async () => {
    expect(await registry.setMonthlyCost({ workspaceId: 3, month: '2026-03', amount: 199.99, note: 'domains' })).toEqual({ workspaceId: 3, month: '2026-03', amount: 199.99, note: 'domains' });
    await registry.setMonthlyCost({ workspaceId: 3, month: '2026-03', amount: 250 });
    await registry.setMonthlyCost({ workspaceId: 4, month: '2026-04', amount: 10 });
    expect(await registry.monthlyCosts('2026-03')).toEqual([{ workspaceId: 3, month: '2026-03', amount: 250, note: null }]);
    await expect(registry.setMonthlyCost({ workspaceId: 3, month: '2026-13', amount: 1 })).rejects.toThrow(RegistryInputError);
    await expect(registry.setMonthlyCost({ workspaceId: 777, month: '2026-03', amount: 1 })).rejects.toThrow(/no client is registered for workspace 777/);
    expect(await registry.removeMonthlyCost(3, '2026-03')).toBe(true);
    expect(await registry.monthlyCosts('2026-03')).toEqual([]);
  });

  it('records mailbox overrides, replacing the previous one', async () => {
    await registry.setMailboxOverride({ senderEmailId: 501, workspaceId: 3, price: 3.5, dailyLimit: 15, note: 'custom deal' });
    await registry.setMailboxOverride({ senderEmailId: 500, dailyLimit: 0 });
    await registry.setMailboxOverride({ senderEmailId: 501, price: 4 });
    expect(await registry.mailboxOverrides()).toEqual([
      { senderEmailId: 500, workspaceId: null, price: null, dailyLimit: 0, note: null },
      { senderEmailId: 501, workspaceId: null, price: 4, dailyLimit: null, note: null },
    ]);
    await expect(registry.setMailboxOverride({ senderEmailId: 502, price: -3 })).rejects.toThrow(/price/);
    expect(await registry.removeMailboxOverride(500)).toBe(true);
    expect((await registry.mailboxOverrides()).map((o) => o.senderEmailId)).toEqual([501]);
  });

  it('the schema itself refuses negative money even if the validation were bypassed', async () => {
    await expect(t.db.query("INSERT INTO clients (workspace_id, name, price_per_lead) VALUES (60, 'Raw', -1)")).rejects.toThrow(/check constraint/);
    await expect(t.db.query("INSERT INTO clients (workspace_id, name, billing_type) VALUES (61, 'Raw', 'HOURLY')")).rejects.toThrow(/check constraint/);
  });
});

describe('registry without ENCRYPTION_KEY', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await withDatabase('pglite');
  });
  afterAll(() => t.cleanup());

  it('refuses to store an api key and reports a stored one it cannot decrypt', async () => {
    const plain = createRegistry(t.db, null);
    await expect(plain.upsert({ workspaceId: 3, name: 'Acme', apiKey: API_KEY })).rejects.toThrow(/apiKey: cannot be stored: ENCRYPTION_KEY is not configured/);
    await createRegistry(t.db, createSecretBox(randomBytes(32))).upsert({ workspaceId: 3, name: 'Acme', apiKey: API_KEY });
    await expect(plain.apiKeyFor(3)).rejects.toThrow(/ENCRYPTION_KEY is not configured/);
  });
});
