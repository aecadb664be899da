import { describe, expect, it } from 'vitest';
import { decodeMailboxCursor, filterMailboxes, mailboxCursor, paginate } from '../../src/resolvers/arithmetic/mailbox-pagination';
import { mailbox } from './fixtures';

const list = [
  mailbox({ workspaceId: 2, id: 1 }),
  mailbox({ workspaceId: 1, id: 9 }),
  mailbox({ workspaceId: 1, id: 3 }),
  mailbox({ workspaceId: 2, id: 5 }),
  mailbox({ workspaceId: 3, id: 2 }),
];
const keys = (c: ReturnType<typeof paginate>) => c.edges.map((e) => `${e.node.workspaceId}:${e.node.id}`);

describe('paginate', () => {
  it('walks all pages in workspace-then-id order', () => {
    const p1 = paginate(list, { first: 2 });
    expect(keys(p1)).toEqual(['1:3', '1:9']);
    expect(p1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(p1.totalCount).toBe(5);
    const p2 = paginate(list, { first: 2, after: p1.pageInfo.endCursor });
    expect(keys(p2)).toEqual(['2:1', '2:5']);
    expect(p2.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const p3 = paginate(list, { first: 2, after: p2.pageInfo.endCursor });
    expect(keys(p3)).toEqual(['3:2']);
    expect(p3.pageInfo).toMatchObject({ hasNextPage: false, endCursor: p3.edges[0].cursor });
  });

  it('cursors name a mailbox: stable across calls and when mailboxes before or at it disappear', () => {
    const cursor = mailboxCursor({ workspaceId: 1, id: 9 });
    expect(Buffer.from(cursor, 'base64url').toString()).toBe('mailbox:1:9');
    expect(paginate(list, { first: 2 }).pageInfo.endCursor).toBe(cursor);
    const fewer = list.filter((x) => !(x.workspaceId === 1));
    expect(keys(paginate(fewer, { first: 1, after: cursor }))).toEqual(['2:1']);
    expect(keys(paginate(fewer.filter((x) => x.id !== 1), { first: 1, after: mailboxCursor({ workspaceId: 2, id: 1 }) }))).toEqual(['2:5']);
  });

  it('walks backward with last/before, and pageInfo says exactly what lies on either side', () => {
    const end = paginate(list, { last: 2 });
    expect(keys(end)).toEqual(['2:5', '3:2']);
    expect(end.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const middle = paginate(list, { last: 2, before: end.pageInfo.startCursor });
    expect(keys(middle)).toEqual(['1:9', '2:1']);
    expect(middle.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const start = paginate(list, { last: 2, before: middle.pageInfo.startCursor });
    expect(keys(start)).toEqual(['1:3']);
    expect(start.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    // Both bounds: the mailboxes strictly between them; first and last then trim that window.
    const window = { after: mailboxCursor({ workspaceId: 1, id: 3 }), before: mailboxCursor({ workspaceId: 3, id: 2 }) };
    expect(keys(paginate(list, window))).toEqual(['1:9', '2:1', '2:5']);
    expect(keys(paginate(list, { ...window, first: 2 }))).toEqual(['1:9', '2:1']);
    expect(keys(paginate(list, { ...window, last: 1 }))).toEqual(['2:5']);
    expect(keys(paginate(list, { ...window, first: 2, last: 1 }))).toEqual(['2:1']);
    // A `before` cursor naming a mailbox that is gone still bounds the page where it stood.
    expect(keys(paginate(list, { last: 1, before: mailboxCursor({ workspaceId: 2, id: 3 }) }))).toEqual(['2:1']);
    expect(paginate(list, { after: window.before, before: window.after }).edges).toEqual([]);
  });

  it('defaults to 50 and rejects bad sizes and foreign cursors', () => {
    expect(paginate(list).edges).toHaveLength(5);
    expect(paginate(list, { first: 0 })).toMatchObject({ edges: [], pageInfo: { hasNextPage: true, startCursor: null } });
    expect(() => paginate(list, { first: -1 })).toThrow(/Invalid page size/);
    expect(() => paginate(list, { first: 1.5 })).toThrow(/Invalid page size/);
    expect(() => paginate(list, { last: 1001 })).toThrow(/Invalid page size last=1001: expected an integer from 0 to 1000/);
    expect(() => paginate(list, { before: 'bm90LWEtY3Vyc29y' })).toThrow(/Invalid cursor/);
    expect(() => paginate(list, { after: 'bm90LWEtY3Vyc29y' })).toThrow(/Invalid cursor/);
    expect(() => decodeMailboxCursor(Buffer.from('mailbox:x:1').toString('base64url'))).toThrow(/Invalid cursor/);
  });
});

describe('filterMailboxes', () => {
  const rows = [
    mailbox({ workspaceId: 1, id: 1, provider: 'Google', reseller: 'Zapmail', emailsSent: 100, replyRate: 1 }),
    mailbox({ workspaceId: 1, id: 2, provider: 'Outlook', reseller: 'ScaledMail', connected: false, emailsSent: 10, replyRate: 0 }),
    mailbox({ workspaceId: 2, id: 3, provider: 'Outlook', reseller: 'Mailr', emailsSent: 500, replyRate: 0.2 }),
  ];
  const ids = (f: Parameters<typeof filterMailboxes>[1]) => filterMailboxes(rows, f).map((r) => r.id);

  it('each criterion narrows the list; criteria combine', () => {
    expect(ids({})).toEqual([1, 2, 3]);
    expect(ids({ workspaceId: 1 })).toEqual([1, 2]);
    expect(ids({ status: 'CONNECTED' })).toEqual([1, 3]);
    expect(ids({ status: 'DISCONNECTED' })).toEqual([2]);
    expect(ids({ providers: ['Outlook'] })).toEqual([2, 3]);
    expect(ids({ providers: ['Outlook', 'Google'] })).toEqual([1, 2, 3]);
    expect(ids({ providers: [] })).toEqual([]);
    expect(ids({ resellers: ['Mailr'] })).toEqual([3]);
    expect(ids({ minSent: 100 })).toEqual([1, 3]);
    expect(ids({ maxReplyRate: 0.2 })).toEqual([2, 3]);
    expect(ids({ providers: ['Outlook'], status: 'CONNECTED', minSent: 50 })).toEqual([3]);
    expect(ids({ workspaceId: null, providers: null })).toEqual([1, 2, 3]);
  });
});
