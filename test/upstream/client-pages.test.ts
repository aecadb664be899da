import { describe, expect, it } from 'vitest';
import type { SourceError } from '../../src/sources/errors';
import { ADMIN_KEY, STATS, mailbox, fakeUpstreams, testClient, type Handler, type SeenRequest } from './fake-upstream';

const CTX = { priority: 'background', triggeredBy: 'prime' } as const;
const upstream = fakeUpstreams();
const failureOf = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (err: unknown) => err as SourceError);

/** Laravel-style pages of `ids`, `perPage` each, with absolute links on `origin`. */
function laravelPages(origin: () => string, ids: number[], perPage = 15, nextOrigin?: () => string): Handler {
  return (req: SeenRequest) => {
    const page = Number(req.query.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(ids.length / perPage));
    const link = (n: number) => `${(nextOrigin ?? origin)()}/api/sender-emails?per_page=${perPage}&page=${n}`;
    return {
      json: {
        data: ids.slice((page - 1) * perPage, page * perPage).map(mailbox),
        links: { first: link(1), last: link(last), prev: page > 1 ? link(page - 1) : null, next: page < last ? link(page + 1) : null },
        meta: { current_page: page, from: 1, last_page: last, path: `${origin()}/api/sender-emails`, per_page: perPage, to: 1, total: ids.length },
      },
    };
  };
}

describe('Email Bison client: sender-emails pagination', () => {
  it('walks every page and returns as many mailboxes as meta.total', async () => {
    const ids = Array.from({ length: 47 }, (_, i) => 100 + i);
    let url = '';
    const fake = await upstream(laravelPages(() => url, ids));
    url = fake.url;
    const { client, attempts } = testClient(url);
    const mailboxes = await client.fetch({ kind: 'sender-emails', workspaceId: 7 }, CTX);
    expect(mailboxes).toHaveLength(47);
    expect(new Set(mailboxes.map((m) => m.id))).toEqual(new Set(ids));
    expect(fake.seen.map((r) => r.query.get('page')).sort()).toEqual(['1', '2', '3', '4']);
    expect(fake.seen.every((r) => r.query.get('per_page') === '15' && r.authorization?.startsWith('Bearer '))).toBe(true);
    expect(attempts).toHaveLength(4);
    expect(new Set(attempts.map((a) => a.endpoint))).toEqual(new Set(['/api/sender-emails']));
  });

  it('deduplicates a mailbox that shows up on two pages', async () => {
    let url = '';
    const ids = [1, 2, 2, 3, 4, 5]; // id 2 ends page 1 and starts page 2 (it moved while we walked)
    const fake = await upstream(laravelPages(() => url, ids, 2));
    url = fake.url;
    const { client } = testClient(url, { pageSize: 2 });
    const mailboxes = await client.fetch({ kind: 'sender-emails', workspaceId: 7 }, CTX);
    expect(mailboxes.map((m) => m.id)).toEqual([1, 2, 3, 4, 5]);
  });

  it('retries a failing page on its own without refetching the others', async () => {
    let url = '';
    let failedOnce = false;
    const pages = laravelPages(() => url, Array.from({ length: 40 }, (_, i) => i + 1));
    const fake = await upstream((req, seen) => {
      if (req.query.get('page') === '2' && !failedOnce) {
        failedOnce = true;
        return { status: 503, json: { message: 'busy' } };
      }
      return pages(req, seen);
    });
    url = fake.url;
    const { client } = testClient(url);
    await expect(client.fetch({ kind: 'sender-emails', workspaceId: 7 }, CTX)).resolves.toHaveLength(40);
    expect(fake.seen.map((r) => r.query.get('page')).sort()).toEqual(['1', '2', '2', '3']);
  });

  it('follows links.next when the list grew past meta.last_page, on the same origin', async () => {
    let url = '';
    const ids = Array.from({ length: 20 }, (_, i) => i + 1);
    const real = laravelPages(() => url, ids);
    // Page 1 claims one page only, yet links to page 2 (mailboxes were added meanwhile).
    const fake = await upstream((req, seen) => {
      const reply = real(req, seen) as { json: { meta: { last_page: number } } };
      if (req.query.get('page') === '1') reply.json.meta.last_page = 1;
      return reply;
    });
    url = fake.url;
    const { client } = testClient(url);
    await expect(client.fetch({ kind: 'sender-emails', workspaceId: 7 }, CTX)).resolves.toHaveLength(20);
  });

  it('refuses a links.next that points to another origin, and never sends the key there', async () => {
    const elsewhere = await upstream(() => ({ json: {} }));
    let url = '';
    const real = laravelPages(() => url, Array.from({ length: 20 }, (_, i) => i + 1), 15, () => elsewhere.url);
    const fake = await upstream((req, seen) => {
      const reply = real(req, seen) as { json: { meta: { last_page: number } } };
      reply.json.meta.last_page = 1;
      return reply;
    });
    url = fake.url;
    const { client } = testClient(url);
    const err = await failureOf(client.fetch({ kind: 'sender-emails', workspaceId: 7 }, CTX));
    expect(err).toMatchObject({ code: 'UPSTREAM_INVALID_PAYLOAD', retryable: false, workspaceId: 7 });
    expect(err.message).toContain('another origin');
    expect(err.message).not.toContain(elsewhere.url);
    expect(elsewhere.seen).toHaveLength(0);
  });
});

describe('Email Bison client: super-admin key', () => {
  /** A fake whose stats depend on the key's current workspace, like the real server. */
  function workspaceAwareUpstream() {
    let current = 0;
    const log: string[] = [];
    const handler: Handler = async (req) => {
      if (req.path.endsWith('/switch-workspace')) {
        await new Promise((r) => setTimeout(r, 5));
        current = (req.body as { team_id: number }).team_id;
        log.push(`switch ${current}`);
        return { json: { data: { name: `ws ${current}` } } };
      }
      const servedFor = current;
      await new Promise((r) => setTimeout(r, 5)); // a window in which an interleaved switch would mix data
      log.push(`stats ${servedFor}`);
      return { json: { data: { ...STATS, emails_sent: servedFor * 1000 + (current === servedFor ? 0 : 1) } } };
    };
    return { handler, log };
  }

  it('switches workspace before each data call and never interleaves two workspaces on one key', async () => {
    const { handler, log } = workspaceAwareUpstream();
    const fake = await upstream(handler);
    const { client } = testClient(fake.url, { kind: 'super-admin', scheduler: undefined });
    const ids = [3, 5, 8, 13, 21];
    const stats = await Promise.all(ids.map((workspaceId) =>
      client.fetch({ kind: 'stats', workspaceId, start: '2026-03-01', end: '2026-03-09' }, { priority: 'interactive', triggeredBy: 'request' })));
    expect(stats.map((s) => s.emails_sent)).toEqual(ids.map((id) => id * 1000));
    for (let i = 0; i < log.length; i += 2) expect(log[i + 1]).toBe(log[i].replace('switch', 'stats'));
    expect(fake.seen.filter((r) => r.path.endsWith('/switch-workspace'))).toHaveLength(ids.length);
    expect(fake.seen.every((r) => r.authorization === `Bearer ${ADMIN_KEY}`)).toBe(true);
  });

  it('mints an api-user key for a workspace and does not retry the POST on 5xx', async () => {
    let fail = true;
    const fake = await upstream((req) => {
      if (fail) return { status: 500, json: { message: 'oops' } };
      return { json: { data: { id: 12, plain_text_token: `12|minted-for-${req.path.split('/')[4]}` } } };
    });
    const { client } = testClient(fake.url, { kind: 'super-admin' });
    const err = await failureOf(client.mintApiToken(9, 'gateway'));
    expect(err).toMatchObject({ code: 'UPSTREAM_5XX' });
    expect(fake.seen).toHaveLength(1);
    fail = false;
    await expect(client.mintApiToken(9, 'gateway')).resolves.toEqual({ id: 12, token: '12|minted-for-9' });
    expect(fake.seen[1]).toMatchObject({ method: 'POST', path: '/api/workspaces/v1.1/9/api-tokens', body: { name: 'gateway' } });
  });

  it('refuses to mint with an api-user key', async () => {
    const fake = await upstream(() => ({ json: {} }));
    const { client } = testClient(fake.url, { kind: 'api-user' });
    expect(await failureOf(client.mintApiToken(9, 'gateway'))).toMatchObject({ code: 'NO_API_KEY' });
    expect(fake.seen).toHaveLength(0);
  });
});
