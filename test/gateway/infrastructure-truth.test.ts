/**
 * Infrastructure dashboard against the simulator's truth: every mailbox of every client workspace
 * (all pages walked), priced and sized by DESIGN.md's rules re-written in infrastructure-truth.ts,
 * with manual overrides stored through GraphQL; aggregates by provider, reseller and workspace;
 * the silent list; filters and stable cursors of the Relay connection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLAnswer, TestGateway } from '../support/gateway';
import { createTruthGateway, TRUTH_CLIENTS } from './volume-revenue-world';
import { expectedGroup, expectedMailboxes, groupBy, type ExpectedMailbox, type Override } from './infrastructure-truth';

const GROUP = 'key workspaceId mailboxes connected disconnected emailsSent replies replyRate dailyCapacity monthlyCost';
const NODE = 'id workspaceId email domain connected provider reseller emailsSent uniqueReplies replyRate price dailyCapacity overridden';
const PAGE = `query($first: Int, $after: String, $filter: MailboxFilter) { infrastructure {
  mailboxes(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${NODE} } } } } }`;

const byOrder = (a: ExpectedMailbox, b: ExpectedMailbox) => a.workspaceId - b.workspaceId || a.id - b.id;

describe('infrastructure dashboard against the simulator truth', () => {
  let t: TestGateway;
  let expected: ExpectedMailbox[];
  let overrides: Map<number, Override>;

  beforeAll(async () => {
    t = await createTruthGateway();
    const world = t.sim.world;
    // A Mailr mailbox of 22 gets price and limit by hand; a ScaledMail one of 3 only a price.
    const mailr = world.mailboxes(22).find((m) => m.status === 'Connected' && m.tags.some((tag) => tag.name === 'Mailr'))!;
    const scaled = world.mailboxes(3).find((m) => m.status === 'Connected' && m.tags.some((tag) => tag.name === 'ScaledMail'))!;
    overrides = new Map([[mailr.id, { price: 2.25, dailyLimit: 40 }], [scaled.id, { price: 9 }]]);
    const set = await t.query(`mutation { a: setMailboxOverride(senderEmailId: ${mailr.id}, price: 2.25, dailyLimit: 40) { senderEmailId }
      b: setMailboxOverride(senderEmailId: ${scaled.id}, price: 9) { senderEmailId } }`);
    expect(set.body.errors).toBeUndefined();
    expected = TRUTH_CLIENTS.flatMap((c) => expectedMailboxes(c.workspaceId, world.mailboxes(c.workspaceId), overrides)).sort(byOrder);
  });
  afterAll(() => t.close());

  async function allPages(first: number, filter?: object): Promise<any[]> {
    const nodes: any[] = [];
    let after: string | null = null;
    for (;;) {
      const res: GraphQLAnswer = await t.query(PAGE, { first, after, filter });
      expect(res.body.errors).toBeUndefined();
      const conn: any = res.body.data.infrastructure.mailboxes;
      nodes.push(...conn.edges.map((e: any) => e.node));
      if (!conn.pageInfo.hasNextPage) return nodes;
      after = conn.pageInfo.endCursor;
    }
  }

  const cents = (dollars: number) => Math.round(dollars * 100) / 100;

  it('lists every mailbox of every client workspace with the rule price and capacity, overrides winning', async () => {
    const nodes = await allPages(1000);
    expect(nodes.map((n) => n.id)).toEqual(expected.map((m) => m.id));
    for (const [i, want] of expected.entries()) {
      const { replyRate, price, ...exact } = want;
      expect(nodes[i]).toMatchObject({ ...exact, overridden: overrides.has(want.id) });
      expect(nodes[i].replyRate).toBeCloseTo(replyRate, 9);
      expect(nodes[i].price).toBe(cents(price)); // dollars, served to the cent
    }
    const node = (id: number) => nodes.find((n) => n.id === id);
    const [mailrId, scaledId] = [...overrides.keys()];
    expect(node(mailrId)).toMatchObject({ reseller: 'Mailr', provider: 'Outlook', price: 2.25, dailyCapacity: 40 });
    // Price-only override: the capacity still follows the ScaledMail domain rule.
    expect(node(scaledId)).toMatchObject({ reseller: 'ScaledMail', provider: 'Outlook', price: 9 });
    expect([5, 8]).toContain(node(scaledId).dailyCapacity);
  });

  it('prices ScaledMail per domain (and sizes 25-48 blocks at 8 a day) and sizes Mailr per domain', () => {
    const scaled = expected.filter((m) => m.reseller === 'ScaledMail' && !overrides.has(m.id));
    const domainSize = (m: ExpectedMailbox) => expected.filter((o) => o.reseller === m.reseller && o.domain === m.domain).length;
    expect(scaled.some((m) => domainSize(m) >= 25 && m.dailyCapacity === 8 && m.price === 50 / domainSize(m))).toBe(true);
    expect(scaled.some((m) => domainSize(m) < 25 && m.dailyCapacity === 5)).toBe(true);
    const mailr = expected.filter((m) => m.reseller === 'Mailr' && !overrides.has(m.id));
    expect(mailr.some((m) => domainSize(m) > 1 && m.dailyCapacity === Math.floor(495 / domainSize(m)) && m.price === 0.91)).toBe(true);
  });

  it('totals and groups by provider, reseller and workspace add up from the mailboxes', async () => {
    const res = await t.query(`{ infrastructure { totals { mailboxes connected disconnected emailsSent replies replyRate dailyCapacity monthlyCost }
      byProvider { ${GROUP} } byReseller { ${GROUP} } byWorkspace { ${GROUP} } errors { code } } }`);
    expect(res.body.errors).toBeUndefined();
    const infra = res.body.data.infrastructure;
    expect(infra.errors).toEqual([]);
    const same = (got: any, want: ReturnType<typeof expectedGroup>) => {
      const { replyRate, monthlyCost, ...exact } = want;
      expect(got).toMatchObject(exact);
      expect(got.replyRate).toBeCloseTo(replyRate, 9);
      expect(got.monthlyCost).toBe(cents(monthlyCost)); // summed at full precision, then rounded
    };
    same(infra.totals, expectedGroup(expected));
    for (const [field, key] of [['byProvider', (m: ExpectedMailbox) => m.provider], ['byReseller', (m: ExpectedMailbox) => m.reseller]] as const) {
      const groups = groupBy(expected, key);
      expect(infra[field].map((g: any) => g.key).sort()).toEqual([...groups.keys()].sort());
      for (const [k, list] of groups) same(infra[field].find((g: any) => g.key === k), expectedGroup(list));
    }
    const byWorkspace = groupBy(expected, (m) => m.workspaceId);
    expect(infra.byWorkspace.map((g: any) => g.workspaceId).sort((a: number, b: number) => a - b)).toEqual([3, 12, 20, 22, 39]);
    for (const [ws, list] of byWorkspace) {
      const group = infra.byWorkspace.find((g: any) => g.workspaceId === ws);
      same(group, expectedGroup(list));
      expect(group.key).toBe(t.sim.world.workspace(ws)!.name);
    }
  });

  it('lists connected mailboxes with >= 50 sent and no reply, most sent first', async () => {
    const res = await t.query(`{ infrastructure { silentMailboxes { id emailsSent uniqueReplies connected } } }`);
    const want = expected.filter((m) => m.connected && m.emailsSent >= 50 && m.uniqueReplies === 0)
      .sort((a, b) => b.emailsSent - a.emailsSent || byOrder(a, b));
    expect(want.length).toBeGreaterThanOrEqual(5); // the simulator guarantees one per workspace
    expect(res.body.data.infrastructure.silentMailboxes.map((m: any) => m.id)).toEqual(want.map((m) => m.id));
  });

  it('filters by workspace, status, providers, resellers (and the deprecated free-text forms), minSent and maxReplyRate', async () => {
    const cases: [object, (m: ExpectedMailbox) => boolean][] = [
      [{ workspaceId: 22 }, (m) => m.workspaceId === 22],
      [{ status: 'DISCONNECTED' }, (m) => !m.connected],
      [{ provider: 'google' }, (m) => m.provider === 'Google'],
      [{ providers: ['GOOGLE', 'OUTLOOK'], resellers: ['ZAPMAIL', 'MAILR'] }, (m) => ['Google', 'Outlook'].includes(m.provider) && ['Zapmail', 'Mailr'].includes(m.reseller)],
      [{ resellers: ['UNKNOWN'] }, (m) => m.reseller === 'Unknown'],
      [{ reseller: 'ScaledMail', status: 'CONNECTED' }, (m) => m.reseller === 'ScaledMail' && m.connected],
      [{ minSent: 1000, maxReplyRate: 0.5 }, (m) => m.emailsSent >= 1000 && m.replyRate <= 0.5],
      [{ workspaceId: 3, provider: 'Outlook', minSent: 50 }, (m) => m.workspaceId === 3 && m.provider === 'Outlook' && m.emailsSent >= 50],
    ];
    for (const [filter, keep] of cases) {
      const want = expected.filter(keep).map((m) => m.id);
      expect(want.length, JSON.stringify(filter)).toBeGreaterThan(0);
      const res = await t.query(PAGE, { first: 1000, filter });
      expect(res.body.data.infrastructure.mailboxes.totalCount, JSON.stringify(filter)).toBe(want.length);
      expect(res.body.data.infrastructure.mailboxes.edges.map((e: any) => e.node.id)).toEqual(want.slice(0, 1000));
    }
  });

  it('pages with stable cursors: every mailbox once, in order, and a cursor replays the same page', async () => {
    const nodes = await allPages(97, { status: 'CONNECTED' });
    const want = expected.filter((m) => m.connected).map((m) => m.id);
    expect(nodes.map((n) => n.id)).toEqual(want);
    const first = await t.query(PAGE, { first: 97, filter: { status: 'CONNECTED' } });
    const cursor = first.body.data.infrastructure.mailboxes.edges[40].cursor;
    const [a, b] = await Promise.all([t.query(PAGE, { first: 10, after: cursor }), t.query(PAGE, { first: 10, after: cursor })]);
    expect(a.body.data.infrastructure.mailboxes.edges).toEqual(b.body.data.infrastructure.mailboxes.edges);
    // The cursor names a mailbox, not an offset: without the filter it continues right after that mailbox.
    const afterIndex = expected.findIndex((m) => m.id === want[40]);
    expect(a.body.data.infrastructure.mailboxes.edges.map((e: any) => e.node.id)).toEqual(expected.slice(afterIndex + 1, afterIndex + 11).map((m) => m.id));
    const bad = await t.query(PAGE, { first: 10, after: 'not-a-cursor' });
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('pages backward with last/before to the same mailboxes, last page first', async () => {
    const BACK = `query($last: Int, $before: String, $filter: MailboxFilter) { infrastructure {
      mailboxes(last: $last, before: $before, filter: $filter) { pageInfo { hasPreviousPage startCursor } edges { node { id } } } } }`;
    const ids: number[] = [];
    let before: string | null = null;
    for (let pages = 0; pages < 200; pages++) {
      const res: GraphQLAnswer = await t.query(BACK, { last: 97, before, filter: { status: 'CONNECTED' } });
      expect(res.body.errors).toBeUndefined();
      const conn: any = res.body.data.infrastructure.mailboxes;
      ids.unshift(...conn.edges.map((e: any) => e.node.id));
      if (!conn.pageInfo.hasPreviousPage) break;
      before = conn.pageInfo.startCursor;
    }
    expect(ids).toEqual(expected.filter((m) => m.connected).map((m) => m.id));
  });

  it('reflects a new override at once (the memo is keyed by the overrides version)', async () => {
    const target = expected.find((m) => m.workspaceId === 39 && m.connected && m.reseller === 'Zapmail')!;
    const before = await t.query(PAGE, { first: 1000, filter: { workspaceId: 39 } });
    expect(before.body.data.infrastructure.mailboxes.edges.find((e: any) => e.node.id === target.id).node.price).toBe(3);
    await t.query(`mutation { setMailboxOverride(senderEmailId: ${target.id}, dailyLimit: 7) { senderEmailId } }`);
    const after = await t.query(`query($first: Int) { infrastructure { byWorkspace { workspaceId dailyCapacity }
      mailboxes(first: $first, filter: { workspaceId: 39 }) { edges { node { id price dailyCapacity overridden } } } } }`, { first: 1000 });
    expect(after.body.errors).toBeUndefined();
    const node = after.body.data.infrastructure.mailboxes.edges.find((e: any) => e.node.id === target.id).node;
    expect(node).toEqual({ id: target.id, price: 3, dailyCapacity: 7, overridden: true });
    const want39 = expectedGroup(expected.filter((m) => m.workspaceId === 39)).dailyCapacity - target.dailyCapacity + 7;
    expect(after.body.data.infrastructure.byWorkspace.find((g: any) => g.workspaceId === 39).dailyCapacity).toBe(want39);
  });
});
