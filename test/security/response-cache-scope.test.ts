/**
 * The abuse suite's side of the response cache (src/server/response-cache.ts): an answer cached
 * for one scope never reaches another. The same request body is sent by an ADMIN, two CLIENT tokens
 * of one workspace and a CLIENT token of another workspace; the two of one workspace share one
 * cached answer, nobody else gets it. A revoked or unknown token never gets a cached answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, createTestGateway, type TestGateway } from '../support/gateway';
import { workspaceIdsIn } from './support';

const QUERY = `{
  kpi { clients { workspaceId name leadsGenerated } totals { clients leadsGenerated } }
  volume { clients { workspaceId emailsSent } }
  infrastructure { byWorkspace { workspaceId mailboxes } totals { mailboxes } }
}`;
const BODY = JSON.stringify({ query: QUERY });
const REVENUE_BODY = JSON.stringify({ query: '{ revenue { clients { workspaceId revenue } } }' });

describe('the response cache keeps every scope to itself', () => {
  let t: TestGateway;
  let own: number;
  let other: number;
  const tokens: Record<'own1' | 'own2' | 'other' | 'revoked', string> = { own1: '', own2: '', other: '', revoked: '' };

  const hits = async () => (await t.gateway.services.metrics.responseCacheRequests.get()).values.find((v) => v.labels.outcome === 'hit')!.value;
  /** Sends the body with a token; its status, body, and whether the response cache answered. */
  async function as(token: string, body = BODY) {
    const before = await hits();
    const res = await t.post(body, { authorization: `Bearer ${token}` });
    const text = await res.text();
    return { status: res.status, text, json: JSON.parse(text), hit: (await hits()) > before };
  }
  /** Twice, so the second is served from the cache when it may be. */
  const twice = async (token: string, body = BODY) => {
    await as(token, body);
    return as(token, body);
  };

  beforeAll(async () => {
    t = await createTestGateway({ http: true, sim: { workspaces: 4, mailboxes: 80 }, env: { RATE_LIMIT_PER_MINUTE: '100000' } });
    const ids = (await t.gateway.services.registry.list({ activeOnly: true })).map((c) => c.workspaceId).sort((a, b) => a - b);
    [own, other] = ids;
    const mint = async (workspaceId: number, label: string) =>
      (await t.query('mutation($w: Int, $l: String) { createApiToken(role: CLIENT, workspaceId: $w, label: $l) }', { w: workspaceId, l: label })).body.data.createApiToken as string;
    tokens.own1 = await mint(own, 'own-1');
    tokens.own2 = await mint(own, 'own-2');
    tokens.other = await mint(other, 'other');
    tokens.revoked = await mint(own, 'revoked');
    await as(ADMIN_TOKEN); // cold: every entry fetched once
  });
  afterAll(() => t?.close());

  it('an ADMIN answer in the cache never reaches a CLIENT token, nor one workspace\'s answer another', async () => {
    const admin = await twice(ADMIN_TOKEN);
    expect(admin.hit).toBe(true);
    const adminIds = workspaceIdsIn(admin.json.data);
    expect(adminIds.has(own) && adminIds.has(other) && adminIds.size > 2).toBe(true);

    const first = await as(tokens.own1);
    expect(first.hit).toBe(false); // its scope has no answer yet: the ADMIN one is not given out
    expect(workspaceIdsIn(first.json.data)).toEqual(new Set([own]));
    expect(first.json.data.kpi.totals.clients).toBe(1);

    const again = await as(tokens.own1);
    expect(again.hit).toBe(true);
    expect(again.text).toBe(first.text);

    // Another token of the same workspace sees exactly the same data: it may share the answer.
    const sibling = await as(tokens.own2);
    expect(sibling.hit).toBe(true);
    expect(sibling.text).toBe(first.text);

    // A token of another workspace never gets it, however warm it is.
    const stranger = await as(tokens.other);
    expect(stranger.hit).toBe(false);
    expect(workspaceIdsIn(stranger.json.data)).toEqual(new Set([other]));
    expect(stranger.text).not.toContain(`"workspaceId":${own},`);
    const strangerAgain = await as(tokens.other);
    expect(strangerAgain.hit).toBe(true);
    expect(workspaceIdsIn(strangerAgain.json.data)).toEqual(new Set([other]));

    // And the ADMIN answer is still the whole agency.
    expect((await as(ADMIN_TOKEN)).text).toBe(admin.text);
  });

  it('a CLIENT\'s FORBIDDEN revenue is cached for its scope only; the ADMIN still reads revenue', async () => {
    const refused = await twice(tokens.own1, REVENUE_BODY);
    expect(refused.hit).toBe(true);
    expect(refused.json.data.revenue).toBeNull();
    expect(refused.json.errors[0].extensions.code).toBe('FORBIDDEN');
    const admin = await twice(ADMIN_TOKEN, REVENUE_BODY);
    expect(admin.json.errors).toBeUndefined();
    expect(admin.json.data.revenue.clients.length).toBeGreaterThan(1);
  });

  it('a revoked or unknown token never gets the cached answer', async () => {
    expect((await twice(tokens.own1)).hit).toBe(true);
    const revokedId = (await t.gateway.services.tokens.list()).find((x) => x.label === 'revoked')!.id;
    expect((await t.query('mutation($id: Int!) { revokeApiToken(id: $id) }', { id: revokedId })).body.data.revokeApiToken).toBe(true);
    for (const token of [tokens.revoked, `${tokens.own1}x`, 'not-a-token-at-all-0123456789']) {
      const denied = await as(token);
      expect(denied.status).toBe(401);
      expect(denied.hit).toBe(false);
      expect(denied.text).not.toContain('leadsGenerated');
    }
    const anonymous = await t.post(BODY, { authorization: undefined });
    expect(anonymous.status).toBe(401);
  });
});
