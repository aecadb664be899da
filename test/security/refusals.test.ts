/**
 * A refusal nulls only what was refused and says so in the words of the operation: a CLIENT token
 * asking for `kpi` beside `revenue` still gets `kpi`; mutations read "may not call", subscriptions
 * "may not subscribe to", nested fields "may not read Type.field", each with the reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway';
import { ENDPOINT } from './support';

describe('refusals null only themselves and read right', () => {
  let t: TestGateway;
  let own: number;
  let other: number;
  let clientToken: string;

  beforeAll(async () => {
    t = await createTestGateway({ sim: { workspaces: 4, mailboxes: 80 } });
    const rows = (await t.query('{ kpi { clients { workspaceId } } }')).body.data.kpi.clients as { workspaceId: number }[];
    [own, other] = rows.map((r) => r.workspaceId).sort((a, b) => a - b);
    const issued = await t.query('mutation($w: Int) { issueApiToken(role: CLIENT, workspaceId: $w) { token } }', { w: own });
    clientToken = issued.body.data.issueApiToken.token;
  });
  afterAll(() => t?.close());

  const asClient = (query: string, variables?: Record<string, unknown>) => t.query(query, variables, clientToken);
  const refusals = (errors: any[] | undefined) => (errors ?? []).map((e) => ({ path: e.path, code: e.extensions?.code, message: e.message }));

  it('kpi is answered beside a FORBIDDEN revenue, clients and apiTokens', async () => {
    const res = await asClient('{ kpi { totals { clients } clients { workspaceId } } revenue { totals { revenue } } clients { workspaceId } apiTokens { id } }');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ kpi: { totals: { clients: 1 }, clients: [{ workspaceId: own }] }, revenue: null, clients: null, apiTokens: null });
    expect(refusals(res.body.errors).sort((a, b) => a.path[0].localeCompare(b.path[0]))).toEqual([
      { path: ['apiTokens'], code: 'FORBIDDEN', message: 'This token may not read apiTokens: ADMIN tokens only' },
      { path: ['clients'], code: 'FORBIDDEN', message: 'This token may not read clients: ADMIN tokens only' },
      { path: ['revenue'], code: 'FORBIDDEN', message: 'This token may not read revenue: the REVENUE dashboard is for ADMIN tokens only' },
    ]);
    // An ADMIN token gets all of it from the same document.
    const admin = await t.query('{ kpi { totals { clients } } revenue { totals { revenue } } clients { workspaceId } apiTokens { id } }');
    expect(admin.body.errors).toBeUndefined();
    expect(admin.body.data.revenue.totals.revenue).toEqual(expect.any(Number));
  });

  it('a mailbox filter on another workspace nulls the page only; the dashboard around it is answered', async () => {
    const res = await asClient(`{ infrastructure { totals { mailboxes } mailboxes(filter: { workspaceId: ${other} }) { totalCount } } }`);
    expect(res.body.data.infrastructure.totals.mailboxes).toBeGreaterThan(0);
    expect(res.body.data.infrastructure.mailboxes).toBeNull();
    expect(refusals(res.body.errors)).toEqual([{
      path: ['infrastructure', 'mailboxes'], code: 'FORBIDDEN',
      message: `This token may not read InfrastructureDashboard.mailboxes: this token sees workspace ${own} only, not ${other}`,
    }]);
  });

  it('nested admin-only fields name their type', async () => {
    const res = await asClient('{ health { score issues } }');
    expect(res.body.data.health).toEqual({ score: expect.any(Number), issues: null });
    expect(refusals(res.body.errors)).toEqual([{ path: ['health', 'issues'], code: 'FORBIDDEN', message: 'This token may not read Health.issues: ADMIN tokens only' }]);
  });

  it('mutations read "may not call", with the reason', async () => {
    const clear = await asClient('mutation { clearCache }');
    expect(refusals(clear.body.errors)).toEqual([{ path: ['clearCache'], code: 'FORBIDDEN', message: 'This token may not call clearCache: ADMIN tokens only' }]);
    const refresh = await asClient(`mutation { refresh(dashboard: KPI, workspaceId: ${other}) { state } }`);
    expect(refusals(refresh.body.errors)).toEqual([{
      path: ['refresh'], code: 'FORBIDDEN', message: `This token may not call refresh: this token sees workspace ${own} only, not ${other}`,
    }]);
    const revenue = await asClient('mutation { refresh(dashboard: REVENUE) { state } }');
    expect(revenue.body.errors![0].message).toBe('This token may not call refresh: the REVENUE dashboard is for ADMIN tokens only');
    const mint = await asClient('mutation { issueApiToken(role: ADMIN) { token } }');
    expect(mint.body.errors![0].message).toBe('This token may not call issueApiToken: ADMIN tokens only');
    expect(mint.body.data).toBeNull();
  });

  it('subscriptions read "may not subscribe to", over SSE as over HTTP', async () => {
    const res = await t.gateway.fetch(ENDPOINT, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${clientToken}` },
      body: JSON.stringify({ query: 'subscription { freshnessChanged(dashboard: REVENUE) { workspaceId } }' }),
    });
    const text = await res.text();
    expect(text).toContain('This token may not subscribe to freshnessChanged: the REVENUE dashboard is for ADMIN tokens only');
    expect(text).toContain('FORBIDDEN');
  });
});
