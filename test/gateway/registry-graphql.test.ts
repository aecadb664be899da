/**
 * The client registry through GraphQL: upsertClient creates and updates, the KPI dashboard shows a
 * change at once, bad input is a BAD_USER_INPUT naming the field and changes nothing, keys never
 * come back, and only admins may write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock';
import { createTestGateway, type TestGateway } from '../support/gateway';
import { KPI_QUERY } from './kpi-ledger';

const UPSERT = `mutation Upsert($input: ClientInput!) {
  upsertClient(input: $input) { workspaceId name displayName active billingType pricePerLead retainerAmount
    monthlyKpiTarget monthlySendingTarget dailySendingTarget hasApiKey instanceUrl updatedAt }
}`;

interface KpiRow { workspaceId: number; name: string; leadsGenerated: number; monthlyKpi: number; currentProgress: number; repliesProgress: number; projectedReplies: number; status: string }

describe('registry through GraphQL', () => {
  const clock = new ManualClock('2026-12-20T12:00:00Z');
  let t: TestGateway;
  beforeAll(async () => {
    t = await createTestGateway({ clock, sim: { workspaces: 7, mailboxes: 140 } });
  });
  afterAll(() => t.close());

  async function kpi(token?: string) {
    const res = await t.query(KPI_QUERY, undefined, token);
    expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
    return res.body.data.kpi as { clients: KpiRow[]; totals: { clients: number; monthlyKpi: number } };
  }

  /** Every field of every client, as text: what "changes nothing" compares. */
  async function registrySnapshot(): Promise<string> {
    const res = await t.query('{ clients { workspaceId name displayName active billingType pricePerLead retainerAmount monthlyKpiTarget monthlySendingTarget dailySendingTarget hasApiKey instanceUrl updatedAt } }');
    expect(res.body.errors).toBeUndefined();
    return JSON.stringify(res.body.data.clients);
  }

  /** A seeded client with interested leads this month, so progress and status can move. */
  async function clientWithLeads(): Promise<KpiRow> {
    const row = (await kpi()).clients.find((r) => r.leadsGenerated > 5);
    expect(row).toBeDefined();
    return row!;
  }

  it('creates a client, then updates only the fields given', async () => {
    const created = await t.query(UPSERT, {
      input: { workspaceId: 901, name: 'Northwind Outreach', billingType: 'RETAINER', retainerAmount: 3500, monthlyKpiTarget: 100, active: false },
    });
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data.upsertClient).toMatchObject({
      workspaceId: 901, name: 'Northwind Outreach', displayName: null, active: false, billingType: 'RETAINER',
      retainerAmount: 3500, pricePerLead: 0, monthlyKpiTarget: 100, hasApiKey: false,
    });
    const updated = await t.query(UPSERT, { input: { workspaceId: 901, displayName: 'Northwind', monthlyKpiTarget: 150 } });
    expect(updated.body.errors).toBeUndefined();
    expect(updated.body.data.upsertClient).toMatchObject({
      workspaceId: 901, name: 'Northwind Outreach', displayName: 'Northwind', billingType: 'RETAINER', retainerAmount: 3500, monthlyKpiTarget: 150, active: false,
    });
    const listed = await t.query('{ clients { workspaceId displayName monthlyKpiTarget } }');
    expect(listed.body.data.clients).toContainEqual({ workspaceId: 901, displayName: 'Northwind', monthlyKpiTarget: 150 });
    // Inactive: not on the dashboard.
    expect((await kpi()).clients.map((r) => r.workspaceId)).not.toContain(901);
  });

  it('shows a new target, display name and status on the KPI dashboard at once', async () => {
    const row = await clientWithLeads();
    const before = await kpi();

    // A target equal to the leads so far: ABOVE, progress exactly 1.
    await t.query(UPSERT, { input: { workspaceId: row.workspaceId, monthlyKpiTarget: row.leadsGenerated, displayName: 'Renamed Ltd' } });
    let now = (await kpi()).clients.find((r) => r.workspaceId === row.workspaceId)!;
    expect(now).toMatchObject({ name: 'Renamed Ltd', monthlyKpi: row.leadsGenerated, currentProgress: 1, status: 'ABOVE' });

    // Between the leads and the projection: ON_TRACK.
    const between = row.leadsGenerated + 1;
    expect(row.projectedReplies).toBeGreaterThanOrEqual(between);
    await t.query(UPSERT, { input: { workspaceId: row.workspaceId, monthlyKpiTarget: between } });
    now = (await kpi()).clients.find((r) => r.workspaceId === row.workspaceId)!;
    expect(now).toMatchObject({ monthlyKpi: between, status: 'ON_TRACK' });
    expect(now.currentProgress).toBeCloseTo(row.leadsGenerated / between, 12);

    // Far above the projection: BELOW; the totals follow.
    await t.query(UPSERT, { input: { workspaceId: row.workspaceId, monthlyKpiTarget: 100_000 } });
    const after = await kpi();
    now = after.clients.find((r) => r.workspaceId === row.workspaceId)!;
    expect(now).toMatchObject({ monthlyKpi: 100_000, status: 'BELOW' });
    expect(now.repliesProgress).toBeCloseTo(row.projectedReplies / 100_000, 12);
    const targetBefore = before.clients.find((r) => r.workspaceId === row.workspaceId)!.monthlyKpi;
    expect(after.totals.monthlyKpi - before.totals.monthlyKpi).toBe(100_000 - targetBefore);
    // The numbers themselves did not need a refetch.
    expect(now.leadsGenerated).toBe(row.leadsGenerated);
  });

  it('removes a deactivated client from the dashboard at once, and brings it back', async () => {
    const row = await clientWithLeads();
    const before = await kpi();
    const off = await t.query(UPSERT, { input: { workspaceId: row.workspaceId, active: false } });
    expect(off.body.data.upsertClient.active).toBe(false);
    const without = await kpi();
    expect(without.clients.map((r) => r.workspaceId)).not.toContain(row.workspaceId);
    expect(without.totals.clients).toBe(before.totals.clients - 1);
    await t.query(UPSERT, { input: { workspaceId: row.workspaceId, active: true } });
    expect((await kpi()).clients.map((r) => r.workspaceId)).toContain(row.workspaceId);
  });

  describe('bad input: BAD_USER_INPUT naming the field, nothing changed', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['a negative price', { pricePerLead: -5 }, 'pricePerLead'],
      ['a price with fractions of a cent', { pricePerLead: 12.345 }, 'pricePerLead'],
      ['a bad billing type', { billingType: 'MONTHLY' }, 'billingType'],
      ['a URL that is not http(s)', { instanceUrl: 'not a url' }, 'instanceUrl'],
      ['an ftp URL', { instanceUrl: 'ftp://send.example.com' }, 'instanceUrl'],
      ['a negative target', { monthlyKpiTarget: -1 }, 'monthlyKpiTarget'],
      ['a blank name', { name: '   ' }, 'name'],
      ['a malformed api key', { apiKey: 'not-a-key' }, 'apiKey'],
    ];
    for (const [what, bad, field] of cases) {
      it(what, async () => {
        const row = await clientWithLeads();
        const before = await registrySnapshot();
        const res = await t.query(UPSERT, { input: { workspaceId: row.workspaceId, monthlyKpiTarget: 7, ...bad } });
        expect(res.body.data?.upsertClient ?? null).toBeNull();
        expect(res.body.errors).toHaveLength(1);
        const [error] = res.body.errors!;
        expect(error.extensions?.code).toBe('BAD_USER_INPUT');
        expect(error.message).toContain(field);
        expect(await registrySnapshot()).toBe(before);
      });
    }
  });

  it('never returns an Email Bison key, from any field', async () => {
    const secret = '4242|thisIsTheSecretPartOfTheKey';
    const res = await t.query(UPSERT, { input: { workspaceId: 901, apiKey: secret } });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.upsertClient.hasApiKey).toBe(true);

    // Every field of Client, found by introspection, so a field added later is searched too.
    const type = await t.query(`{ __type(name: "Client") { fields { name type { kind ofType { kind } } } } }`);
    const scalarFields = type.body.data.__type.fields.map((f: { name: string }) => f.name).join(' ');
    const texts = [
      JSON.stringify(res.body),
      JSON.stringify((await t.query(`{ clients { ${scalarFields} } }`)).body),
      JSON.stringify((await t.query(`{ clients(activeOnly: true) { ${scalarFields} } kpi { clients { name } } workspaces { workspaceId name } }`)).body),
    ];
    const keys = [secret, secret.split('|')[1], t.sim.superAdminKey, ...t.sim.apiKeys.values()];
    for (const text of texts) {
      for (const key of keys) expect(text).not.toContain(key.split('|')[1] ?? key);
    }
  });

  it('refuses upsertClient to a CLIENT token (FORBIDDEN), changing nothing', async () => {
    const row = await clientWithLeads();
    const minted = await t.query('mutation M($ws: Int!) { createApiToken(role: CLIENT, workspaceId: $ws, label: "client") }', { ws: row.workspaceId });
    expect(minted.body.errors).toBeUndefined();
    const clientToken = minted.body.data.createApiToken as string;

    const before = await registrySnapshot();
    const res = await t.query(UPSERT, { input: { workspaceId: row.workspaceId, monthlyKpiTarget: 1 } }, clientToken);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(res.body.data?.upsertClient ?? null).toBeNull();
    expect(await registrySnapshot()).toBe(before);
    // The token itself works: it sees its own row only.
    expect((await kpi(clientToken)).clients.map((r) => r.workspaceId)).toEqual([row.workspaceId]);
  });
});
