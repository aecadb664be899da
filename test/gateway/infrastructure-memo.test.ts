/**
 * The infrastructure dashboard computes once per data version: warm queries, whatever page or
 * filter they ask, reuse the classification, the aggregate and each filter's list; a new version
 * (a refetched mailbox list, an override) computes again. Counted by the memo itself
 * (`services.mailboxes.computed()`), on the memory and on the Redis cache (where the entries'
 * identity must survive through the store's tracked local copy for the memo to hit).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway';

const QUERY = `query($first: Int, $after: String, $filter: MailboxFilter) { infrastructure {
  totals { mailboxes monthlyCost } byProvider { key mailboxes } byWorkspace { workspaceId mailboxes }
  mailboxes(first: $first, after: $after, filter: $filter) { totalCount pageInfo { endCursor } edges { node { id price dailyCapacity } } }
  errors { code } } }`;

describe.each(['memory', 'redis'] as const)('infrastructure computed once per data version (%s cache)', (cache) => {
  let t: TestGateway;
  afterEach(async () => {
    await t?.close();
  });

  async function infra(variables: Record<string, unknown> = {}) {
    const res = await t.query(QUERY, variables);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.infrastructure.errors).toEqual([]);
    return res.body.data.infrastructure;
  }
  const computed = () => t.gateway.services.mailboxes.computed();

  it('warm pages and filters reuse one computation; a refetch or an override computes again', async () => {
    t = await createTestGateway({ cache, sim: { workspaces: 5, mailboxes: 600 } });
    const cold = await infra();
    const clients = cold.byWorkspace.length;
    expect(clients).toBeGreaterThan(1);
    const after = cold.mailboxes.pageInfo.endCursor;
    const variants = [{}, { after }, { filter: { status: 'CONNECTED' } }, { filter: { minSent: 50, maxReplyRate: 0 } }, { first: 7, filter: { status: 'CONNECTED' } }];
    for (const v of variants) await infra(v);
    const first = computed();
    expect(first.classified).toBe(clients); // each workspace's list classified once
    expect(first.aggregates).toBe(1);
    expect(first.filters).toBe(3); // none, CONNECTED, silent: pages and sizes share their filter's list

    for (let round = 0; round < 5; round++) for (const v of variants) await infra(v);
    // Provider order in a filter does not make it another filter.
    await infra({ filter: { status: 'CONNECTED', providers: ['OUTLOOK', 'GOOGLE'] } });
    await infra({ filter: { providers: ['GOOGLE', 'OUTLOOK'], status: 'CONNECTED' } });
    expect(computed()).toEqual({ ...first, filters: 4 });

    // A new version of the data (every mailbox list refetched): computed again, once.
    await t.gateway.services.cache.clear({ kinds: ['sender-emails'] });
    const refetched = await infra();
    expect(refetched.totals).toEqual(cold.totals);
    await infra({ filter: { status: 'CONNECTED' } });
    await infra({ filter: { status: 'CONNECTED' } });
    const second = computed();
    expect(second.classified).toBe(2 * clients);
    expect(second.aggregates).toBe(2);
    expect(second.filters).toBe(6);

    // An override is a new version too, and shows at once.
    const target = refetched.mailboxes.edges[0].node;
    await t.query(`mutation { setMailboxOverride(senderEmailId: ${target.id}, dailyLimit: 3) { senderEmailId } }`);
    const overridden = await infra();
    expect(overridden.mailboxes.edges[0].node).toMatchObject({ id: target.id, dailyCapacity: 3 });
    expect(computed().aggregates).toBe(3);
    await infra();
    expect(computed().aggregates).toBe(3);
  });
});
