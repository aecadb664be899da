/**
 * A tiny programmable Email Bison stand-in on node:http for unit tests of the client: each test
 * says how to answer, and every request is recorded (method, path, query, auth, body).
 */
import { createServer, type IncomingMessage } from 'node:http';
import { afterEach } from 'vitest';
import type { AddressInfo } from 'node:net';
import { createBreakerBoard } from '../../src/sources/upstream/breaker';
import { createUpstreamScheduler } from '../../src/sources/upstream/scheduler';
import { createEmailBisonClient, type EmailBisonClientOptions } from '../../src/sources/email-bison/client';
import type { KeyKind } from '../../src/sources/email-bison/access';
import { systemClock } from '../../src/clock';
import type { SourceObserver, UpstreamAttempt, ValidationIssue } from '../../src/monitoring/events';

export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  body: unknown;
}
export interface Reply {
  status?: number;
  json?: unknown;
  text?: string;
  headers?: Record<string, string>;
  /** Never answer (for timeouts). */
  hang?: boolean;
}
export type Handler = (req: SeenRequest, seen: SeenRequest[]) => Reply | Promise<Reply>;

export async function startFakeUpstream(handler: Handler) {
  const seen: SeenRequest[] = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const request: SeenRequest = {
      method: req.method ?? 'GET', path: url.pathname, query: url.searchParams,
      authorization: req.headers.authorization, body: await readJson(req),
    };
    seen.push(request);
    const reply = await handler(request, seen);
    if (reply.hang) return;
    const body = reply.text ?? JSON.stringify(reply.json ?? {});
    res.writeHead(reply.status ?? 200, { 'content-type': reply.text ? 'text/html' : 'application/json', ...reply.headers });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    seen,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

export type FakeUpstream = Awaited<ReturnType<typeof startFakeUpstream>>;

/** For a test file: `const upstream = fakeUpstreams();` starts fakes that are closed after each test. */
export function fakeUpstreams(): (handler: Handler) => Promise<FakeUpstream> {
  let fakes: FakeUpstream[] = [];
  afterEach(async () => {
    await Promise.all(fakes.map((f) => f.close()));
    fakes = [];
  });
  return async function upstream(handler) {
    const fake = await startFakeUpstream(handler);
    fakes.push(fake);
    return fake;
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  return raw ? JSON.parse(raw) : undefined;
}

/** An observer that keeps everything it is told. */
export function recordingObserver() {
  const attempts: UpstreamAttempt[] = [];
  const validations: ValidationIssue[] = [];
  const transitions: Parameters<SourceObserver['breaker']>[0][] = [];
  const observer: SourceObserver = {
    attempt: (a) => attempts.push(a),
    validation: (v) => validations.push(v),
    breaker: (b) => transitions.push(b),
    cacheState() {},
    cacheRead() {},
  };
  return { observer, attempts, validations, transitions };
}

export const SECRET_KEY = '7|s3cr3t-api-user-key-do-not-leak';
export const ADMIN_KEY = '1|sup3r-admin-key-do-not-leak';

/** A client wired to `baseUrl` with millisecond retry delays, plus what it reports. */
export function testClient(baseUrl: string, opts: { kind?: KeyKind; key?: string | null } & Partial<EmailBisonClientOptions> = {}) {
  const recorded = recordingObserver();
  const scheduler = opts.scheduler ?? createUpstreamScheduler({ concurrency: 4, ratePerMinute: 60_000, burst: 1000 });
  const breakers = opts.breakers ?? createBreakerBoard({ failureThreshold: 50, windowMs: 60_000, openMs: 30_000, clock: systemClock, observer: recorded.observer });
  const kind = opts.kind ?? 'api-user';
  const key = opts.key === undefined ? (kind === 'super-admin' ? ADMIN_KEY : SECRET_KEY) : opts.key;
  const client = createEmailBisonClient({
    access: async () => (key === null ? null : { baseUrl, key, kind }),
    scheduler,
    breakers,
    observer: opts.observer ?? recorded.observer,
    timeoutMs: opts.timeoutMs ?? 2000,
    retry: { retries: 3, minDelayMs: 5, maxDelayMs: 20, factor: 2, deadlineMs: 10_000, ...opts.retry },
    pageSize: opts.pageSize,
  });
  return { client, scheduler, breakers, ...recorded };
}

export const STATS = {
  emails_sent: 120, total_leads_contacted: 80, opened: 0, opened_percentage: 0,
  unique_replies_per_contact: 6, unique_replies_per_contact_percentage: 7.5, bounced: 2, bounced_percentage: 1.67,
  unsubscribed: 1, unsubscribed_percentage: 0.83, interested: 2, interested_percentage: 33.33,
};

export function mailbox(id: number) {
  return {
    id, name: `Box ${id}`, email: `box${id}@example.com`, daily_limit: 20, type: 'google_workspace_oauth', status: 'Connected',
    emails_sent_count: 10, total_replied_count: 0, unique_replied_count: 0, bounced_count: 0, tags: [{ id: 1, name: 'Google' }],
  };
}
