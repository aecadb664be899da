/**
 * Inputs are checked against what exists, through GraphQL: mailbox filters by enum (and the old
 * free-text form, case-insensitive, Gmail meaning Google, nonsense refused), paging backward,
 * page sizes that state their maximum before any cost limit, tokens listed without secrets and
 * minted only for workspaces that exist, overrides only for mailboxes that exist.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway';

const PAGE = `query($first: Int, $after: String, $last: Int, $before: String, $filter: MailboxFilter) { infrastructure {
  mailboxes(first: $first, after: $after, last: $last, before: $before, filter: $filter) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id workspaceId provider reseller } } } } }`;

interface Node { id: number; workspaceId: number; provider: string; reseller: string }

describe('inputs checked against what exists', () => {
  let t: TestGateway;
  let all: Node[];

  beforeAll(async () => {
    t = await createTestGateway({ sim: { workspaces: 5, mailboxes: 300 } });
    const res = await t.query(PAGE, { first: 1000 });
    expect(res.body.errors).toBeUndefined();
    all = res.body.data.infrastructure.mailboxes.edges.map((e: any) => e.node);
    expect(all.length).toBeGreaterThan(100);
  });
  afterAll(() => t?.close());

  const page = async (variables: Record<string, unknown>) => {
    const res = await t.query(PAGE, variables);
    expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
    return res.body.data.infrastructure.mailboxes;
  };
  const ids = (conn: any) => conn.edges.map((e: any) => e.node.id);

  describe('mailbox filters', () => {
    it('providers and resellers are enums; any of a list; combined they must both hold', async () => {
      const google = all.filter((m) => m.provider === 'Google').map((m) => m.id);
      const outlook = all.filter((m) => m.provider === 'Outlook').map((m) => m.id);
      expect(google.length && outlook.length).toBeGreaterThan(0);
      expect(ids(await page({ first: 1000, filter: { providers: ['GOOGLE'] } }))).toEqual(google);
      const both = all.filter((m) => m.provider === 'Google' || m.provider === 'Outlook').map((m) => m.id);
      expect(ids(await page({ first: 1000, filter: { providers: ['GOOGLE', 'OUTLOOK'] } }))).toEqual(both);
      const mailr = all.filter((m) => m.reseller === 'Mailr').map((m) => m.id);
      expect(mailr.length).toBeGreaterThan(0);
      expect(ids(await page({ first: 1000, filter: { resellers: ['MAILR'], providers: ['OUTLOOK'] } }))).toEqual(mailr);
      expect((await page({ first: 1000, filter: { providers: [] } })).totalCount).toBe(0);
    });

    it('a value outside the enum is a validation error naming it, not an empty page', async () => {
      const res = await t.query(PAGE, { filter: { providers: ['HOTMAIL'] } });
      expect(res.body.data).toBeUndefined();
      expect(res.body.errors![0].message).toMatch(/HOTMAIL.*MailboxProvider/);
    });

    it('the deprecated free-text provider ignores case and knows Gmail; nonsense is refused naming the field', async () => {
      const google = all.filter((m) => m.provider === 'Google').map((m) => m.id);
      for (const provider of ['google', 'GOOGLE', 'Gmail', ' gmail ']) {
        expect(ids(await page({ first: 1000, filter: { provider } })), provider).toEqual(google);
      }
      expect(ids(await page({ first: 1000, filter: { reseller: 'mailr' } }))).toEqual(all.filter((m) => m.reseller === 'Mailr').map((m) => m.id));
      // Both forms at once: both must hold.
      expect((await page({ first: 1000, filter: { provider: 'gmail', providers: ['OUTLOOK'] } })).totalCount).toBe(0);
      const bad = await t.query(PAGE, { filter: { provider: 'hotmail' } });
      expect(bad.body.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'filter.provider' } });
      expect(bad.body.errors![0].message).toMatch(/"hotmail" names none of Google, Outlook, Yahoo, Custom, iCloud, AOL, Unknown/);
    });
  });

  describe('paging', () => {
    it('last/before walk the list backward, page by page, to the same mailboxes forward paging lists', async () => {
      const seen: number[] = [];
      let before: string | null = null;
      for (let guard = 0; guard < 20; guard++) {
        const conn: any = await page({ last: 97, before });
        seen.unshift(...ids(conn));
        expect(conn.pageInfo.hasNextPage).toBe(before !== null);
        if (!conn.pageInfo.hasPreviousPage) break;
        before = conn.pageInfo.startCursor;
      }
      expect(seen).toEqual(all.map((m) => m.id));
      // A window between two cursors, trimmed from its end.
      const forward = await page({ first: 10 });
      const window = await page({ after: forward.edges[2].cursor, before: forward.edges[9].cursor, last: 3 });
      expect(ids(window)).toEqual(ids(forward).slice(6, 9));
      expect(window.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    });

    it('a page size over the maximum says so, literal or variable, before the cost limit is computed', async () => {
      for (const [query, variables] of [
        ['{ infrastructure { mailboxes(first: 100000) { totalCount edges { node { id email price } } } } }', undefined],
        ['query($n: Int) { infrastructure { mailboxes(first: $n) { totalCount edges { node { id email price } } } } }', { n: 100000 }],
        ['query($n: Int) { infrastructure { mailboxes(last: $n) { totalCount } } }', { n: 5000 }],
      ] as const) {
        const calls = t.upstreamCalls();
        const res = await t.query(query, variables);
        expect(res.body.data ?? undefined).toBeUndefined();
        expect(res.body.errors).toHaveLength(1);
        expect(res.body.errors![0].message).toMatch(/^Invalid (first|last): may be at most 1000, got (100000|5000)$/);
        expect(res.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
        expect(t.upstreamCalls()).toBe(calls);
      }
      const negative = await t.query('{ infrastructure { mailboxes(first: -1) { totalCount } } }');
      expect(negative.body.errors![0].message).toBe('Invalid first: may not be less than 0, got -1');
      // The maximum itself is a page.
      expect((await page({ first: 1000 })).edges).toHaveLength(all.length);
    });
  });

  describe('tokens', () => {
    it('issueApiToken answers the token with its id; apiTokens lists it, never its secret or hash; revoking shows', async () => {
      const ws = all[0].workspaceId;
      const issued = await t.query('mutation($ws: Int) { issueApiToken(role: CLIENT, workspaceId: $ws, label: "acme dashboard") { id token apiToken { id role workspaceId label revoked } } }', { ws });
      expect(issued.body.errors).toBeUndefined();
      const { id, token, apiToken } = issued.body.data.issueApiToken;
      expect(token).toMatch(/^bgw_/);
      expect(apiToken).toEqual({ id, role: 'CLIENT', workspaceId: ws, label: 'acme dashboard', revoked: false });
      // The token works at once, and only for its workspace.
      const kpi = await t.query('{ kpi { clients { workspaceId } } }', undefined, token);
      expect(kpi.body.data.kpi.clients).toEqual([{ workspaceId: ws }]);

      const old = await t.query('mutation { createApiToken(role: ADMIN, label: "old style") }');
      expect(old.body.data.createApiToken).toMatch(/^bgw_/);

      const list = async () => {
        const res = await t.query('{ apiTokens { id role workspaceId label createdAt lastUsedAt revoked revokedAt } }');
        expect(res.body.errors).toBeUndefined();
        return { rows: res.body.data.apiTokens as any[], text: JSON.stringify(res.body) };
      };
      const before = await list();
      expect(before.rows.find((r) => r.id === id)).toMatchObject({ role: 'CLIENT', workspaceId: ws, label: 'acme dashboard', revoked: false, revokedAt: null, createdAt: expect.any(String) });
      expect(before.rows.find((r) => r.label === 'old style')).toMatchObject({ role: 'ADMIN', workspaceId: null });
      await t.gateway.services.tokens.settle();
      expect((await list()).rows.find((r) => r.id === id).lastUsedAt).toEqual(expect.any(String));
      for (const secret of [token, old.body.data.createApiToken, createHash('sha256').update(token).digest('hex')]) {
        expect(before.text).not.toContain(secret);
      }
      expect((await t.query('mutation($id: Int!) { revokeApiToken(id: $id) }', { id })).body.data.revokeApiToken).toBe(true);
      expect((await list()).rows.find((r) => r.id === id)).toMatchObject({ revoked: true, revokedAt: expect.any(String) });
      expect((await t.query('{ kpi { totals { clients } } }', undefined, token)).status).toBe(401);
    });

    it('a CLIENT token for a workspace that does not exist is refused naming the field, and nothing is minted', async () => {
      const count = (await t.gateway.services.tokens.list()).length;
      for (const mutation of ['issueApiToken(role: CLIENT, workspaceId: 9999) { id }', 'createApiToken(role: CLIENT, workspaceId: 9999)']) {
        const res = await t.query(`mutation { ${mutation} }`);
        expect(res.body.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'workspaceId' } });
        expect(res.body.errors![0].message).toMatch(/no workspace 9999/);
      }
      expect((await t.gateway.services.tokens.list()).length).toBe(count);
    });
  });

  describe('mailbox overrides', () => {
    it('only for a mailbox in the lists: 99999999 is refused and nothing is stored; a real one is stored with its workspace', async () => {
      const bad = await t.query('mutation { setMailboxOverride(senderEmailId: 99999999, price: 1) { senderEmailId } }');
      expect(bad.body.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'senderEmailId' } });
      expect(bad.body.errors![0].message).toMatch(/no mailbox with sender-email id 99999999/);
      expect(await t.gateway.services.registry.mailboxOverrides()).toEqual([]);

      const target = all[3];
      const ok = await t.query(`mutation { setMailboxOverride(senderEmailId: ${target.id}, price: 1.5) { senderEmailId price } }`);
      expect(ok.body.data.setMailboxOverride).toEqual({ senderEmailId: target.id, price: 1.5 });
      expect(await t.gateway.services.registry.mailboxOverrides()).toEqual([expect.objectContaining({ senderEmailId: target.id, workspaceId: target.workspaceId })]);
    });
  });
});
