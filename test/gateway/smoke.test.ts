import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway';

describe('gateway smoke', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await createTestGateway();
  });
  afterAll(() => t.close());

  it('answers 401 without a token', async () => {
    const res = await t.query('{ kpi { totals { clients } } }', undefined, null);
    expect(res.status).toBe(401);
  });

  it('serves all four dashboards at once', async () => {
    const res = await t.query(`{
      kpi { totals { clients } errors { code } }
      volume { totals { clients } errors { code } }
      revenue { totals { clients revenue } errors { code } }
      infrastructure { totals { mailboxes } mailboxes(first: 3) { totalCount edges { cursor node { email provider reseller price } } } errors { code } }
      workspaces { workspaceId }
      health { score status }
      cacheStats { key state }
    }`);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.kpi.totals.clients).toBe(26);
    expect(res.body.data.infrastructure.totals.mailboxes).toBeGreaterThan(4000);
  });
});
