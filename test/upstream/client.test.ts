import { describe, expect, it } from 'vitest';
import { SourceError } from '../../src/sources/errors';
import { createBreakerBoard } from '../../src/sources/upstream/breaker';
import { systemClock } from '../../src/clock';
import { nullObserver } from '../../src/monitoring/events';
import { ADMIN_KEY, SECRET_KEY, STATS, fakeUpstreams, testClient } from './fake-upstream';

const STATS_REQ = { kind: 'stats', workspaceId: 7, start: '2026-03-01', end: '2026-03-09' } as const;
const CTX = { priority: 'interactive', triggeredBy: 'request' } as const;

const upstream = fakeUpstreams();
const failureOf = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (err: unknown) => err as SourceError);

function expectSafe(err: SourceError) {
  expect(err).toBeInstanceOf(SourceError);
  for (const secret of [SECRET_KEY, ADMIN_KEY, SECRET_KEY.split('|')[1], ADMIN_KEY.split('|')[1], '?', '2026-03-01', '127.0.0.1']) {
    expect(err.message).not.toContain(secret);
  }
}

describe('Email Bison client: requests', () => {
  it('fetches stats with the bearer key and JSON accept, coercing numeric strings', async () => {
    const fake = await upstream(() => ({ json: { data: { ...STATS, emails_sent: '120', interested_percentage: '33.33' } } }));
    const { client, attempts } = testClient(fake.url);
    await expect(client.fetch(STATS_REQ, CTX)).resolves.toMatchObject({ emails_sent: 120, interested_percentage: 33.33 });
    expect(fake.seen).toHaveLength(1);
    expect(fake.seen[0]).toMatchObject({ method: 'GET', path: '/api/workspaces/v1.1/stats', authorization: `Bearer ${SECRET_KEY}` });
    expect(Object.fromEntries(fake.seen[0].query)).toEqual({ start_date: '2026-03-01', end_date: '2026-03-09' });
    expect(attempts).toEqual([expect.objectContaining({
      api: 'email_bison', endpoint: '/api/workspaces/v1.1/stats', method: 'GET', workspaceId: 7, statusCode: 200,
      success: true, errorType: null, attempt: 1, triggeredBy: 'request',
    })]);
  });

  it('fetches the workspace list and sending schedules of a day', async () => {
    const fake = await upstream((req) => req.path === '/api/workspaces/v1.1'
      ? { json: { data: [{ id: 2, name: 'Acme', personal_team: false }] } }
      : { json: { data: [{ id: 1, emails_being_sent: '40' }, { id: 2, emails_being_sent: 2 }] } });
    const { client } = testClient(fake.url);
    await expect(client.fetch({ kind: 'workspaces' }, CTX)).resolves.toEqual([{ id: 2, name: 'Acme', personal_team: false }]);
    const schedules = await client.fetch({ kind: 'sending-schedules', workspaceId: 7, day: 'tomorrow' }, CTX);
    expect(schedules.map((s) => s.emails_being_sent)).toEqual([40, 2]);
    expect(fake.seen[1].path).toBe('/api/campaigns/sending-schedules');
    expect(fake.seen[1].query.get('day')).toBe('tomorrow');
  });

  it('fails with NO_API_KEY when no key serves the workspace, without calling out', async () => {
    const fake = await upstream(() => ({ json: {} }));
    const { client } = testClient(fake.url, { key: null });
    expect(await failureOf(client.fetch(STATS_REQ, CTX))).toMatchObject({ code: 'NO_API_KEY', workspaceId: 7, retryable: false });
    expect(fake.seen).toHaveLength(0);
  });
});

describe('Email Bison client: retry policy', () => {
  it('retries 5xx and succeeds, reporting one attempt per try', async () => {
    const fake = await upstream((_, seen) => (seen.length < 3 ? { status: 503, json: { message: 'down' } } : { json: { data: STATS } }));
    const { client, attempts } = testClient(fake.url);
    await expect(client.fetch(STATS_REQ, { priority: 'background', triggeredBy: 'background' })).resolves.toMatchObject({ interested: 2 });
    expect(fake.seen).toHaveLength(3);
    expect(attempts.map((a) => [a.attempt, a.statusCode, a.errorType, a.success, a.triggeredBy])).toEqual([
      [1, 503, 'http_5xx', false, 'background'],
      [2, 503, 'http_5xx', false, 'background'],
      [3, 200, null, true, 'background'],
    ]);
  });

  it('gives up after `retries` retries with the last error', async () => {
    const fake = await upstream(() => ({ status: 500, text: '<!DOCTYPE html><html><body>Whoops, secret stack trace</body></html>' }));
    const { client, attempts } = testClient(fake.url);
    const err = await failureOf(client.fetch(STATS_REQ, CTX));
    expect(fake.seen).toHaveLength(4);
    expect(attempts).toHaveLength(4);
    expect(err).toMatchObject({ code: 'UPSTREAM_5XX', status: 500, retryable: true, workspaceId: 7 });
    expect(err.message).toContain('HTML error page');
    expect(err.message).not.toContain('Whoops');
    expectSafe(err);
  });

  it.each([
    [401, 'UPSTREAM_UNAUTHORIZED', { message: 'Unauthenticated.' }],
    [403, 'UPSTREAM_FORBIDDEN', { message: 'nope' }],
    [404, 'UPSTREAM_NOT_FOUND', { data: { success: false, message: 'missing' } }],
    [422, 'UPSTREAM_4XX', { message: 'The start date field is required.', errors: { start_date: ['required'] } }],
  ])('does not retry %i (%s)', async (status, code, json) => {
    const fake = await upstream(() => ({ status, json }));
    const { client, attempts } = testClient(fake.url);
    const err = await failureOf(client.fetch(STATS_REQ, CTX));
    expect(err).toMatchObject({ code, status, retryable: false });
    expect(fake.seen).toHaveLength(1);
    expect(attempts).toEqual([expect.objectContaining({ statusCode: status, errorType: 'http_4xx', attempt: 1 })]);
    expect(err.message).not.toContain('required.');
    if (status === 422) expect(err.message).toContain('invalid: start_date');
    expectSafe(err);
  });

  it('does not retry a payload that fails its schema, and reports where without the values', async () => {
    const fake = await upstream(() => ({ json: { data: { ...STATS, emails_sent: 'lots', interested: null } } }));
    const { client, attempts, validations } = testClient(fake.url);
    const err = await failureOf(client.fetch(STATS_REQ, CTX));
    expect(err).toMatchObject({ code: 'UPSTREAM_INVALID_PAYLOAD', retryable: false, workspaceId: 7 });
    expect(fake.seen).toHaveLength(1);
    expect(attempts).toEqual([expect.objectContaining({ statusCode: 200, success: false, errorType: 'validation' })]);
    expect(validations.map((v) => [v.source, v.workspaceId, v.field, v.actual, v.severity])).toEqual([
      ['/api/workspaces/v1.1/stats', 7, 'data.emails_sent', 'string', 'error'],
      ['/api/workspaces/v1.1/stats', 7, 'data.interested', 'null', 'error'],
    ]);
    expect(JSON.stringify(validations)).not.toContain('lots');
  });

  it('handles a 200 that is an HTML page as an invalid payload', async () => {
    const fake = await upstream(() => ({ status: 200, text: '<html>maintenance</html>' }));
    const { client, validations } = testClient(fake.url);
    const err = await failureOf(client.fetch(STATS_REQ, CTX));
    expect(err).toMatchObject({ code: 'UPSTREAM_INVALID_PAYLOAD' });
    expect(err.message).toContain('HTML error page');
    expect(validations[0]).toMatchObject({ errorType: 'not_json', actual: 'HTML error page' });
  });

  it('times an attempt out and retries it', async () => {
    const fake = await upstream((_, seen) => (seen.length === 1 ? { hang: true } : { json: { data: STATS } }));
    const { client, attempts } = testClient(fake.url, { timeoutMs: 100 });
    await expect(client.fetch(STATS_REQ, CTX)).resolves.toMatchObject({ emails_sent: 120 });
    expect(attempts.map((a) => [a.attempt, a.statusCode, a.errorType])).toEqual([[1, null, 'timeout'], [2, 200, null]]);
  });

  it('reports a timeout that never recovers as UPSTREAM_TIMEOUT', async () => {
    const fake = await upstream(() => ({ hang: true }));
    const { client } = testClient(fake.url, { timeoutMs: 50, retry: { retries: 1 } });
    const err = await failureOf(client.fetch(STATS_REQ, CTX));
    expect(err).toMatchObject({ code: 'UPSTREAM_TIMEOUT', retryable: true });
    expect(fake.seen).toHaveLength(2);
    expectSafe(err);
  });

  it('retries network errors', async () => {
    const fake = await upstream(() => ({ json: {} }));
    const deadUrl = fake.url;
    await fake.close(); // closing it again after the test is harmless
    const { client, attempts } = testClient(deadUrl, { retry: { retries: 2 } });
    const err = await failureOf(client.fetch(STATS_REQ, CTX));
    expect(err).toMatchObject({ code: 'UPSTREAM_NETWORK', retryable: true });
    expect((err as Error).message).toMatch(/could not be reached \(ECONNREFUSED\)$/); // the reason, from the error's code
    expect(attempts.map((a) => a.errorType)).toEqual(['network', 'network', 'network']);
    expectSafe(err);
  });

  it('honours 429 Retry-After: the whole key pauses, then the call is retried', async () => {
    const fake = await upstream((_, seen) => (seen.length === 1
      ? { status: 429, json: { message: 'Too Many Attempts.' }, headers: { 'retry-after': '1' } }
      : { json: { data: STATS } }));
    const { client, scheduler, attempts } = testClient(fake.url);
    const pending = client.fetch(STATS_REQ, CTX);
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => attempts.length > 0 && (clearInterval(poll), resolve()), 2);
    });
    expect(scheduler.stats().pausedKeys).toBe(1);
    await expect(pending).resolves.toMatchObject({ emails_sent: 120 });
    expect(attempts.map((a) => [a.statusCode, a.errorType])).toEqual([[429, 'http_429'], [200, null]]);
    // The retry waited for the pause, not only for the 5-20 ms backoff.
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(950);
  });

  it('does not retry a 429 whose Retry-After ends past the deadline', async () => {
    const fake = await upstream(() => ({ status: 429, json: { message: 'Too Many Attempts.' }, headers: { 'retry-after': '60' } }));
    const { client } = testClient(fake.url, { retry: { deadlineMs: 5_000 } });
    const err = await failureOf(client.fetch(STATS_REQ, CTX));
    expect(err).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', retryAfterSeconds: 60 });
    expect(fake.seen).toHaveLength(1);
  });

  it('fails fast with CIRCUIT_OPEN once the breaker opens, without calling the upstream', async () => {
    const fake = await upstream(() => ({ status: 502, json: { message: 'bad gateway' } }));
    const breakers = createBreakerBoard({ failureThreshold: 3, windowMs: 60_000, openMs: 60_000, clock: systemClock, observer: nullObserver });
    const { client, attempts } = testClient(fake.url, { breakers, retry: { retries: 5 } });
    const err = await failureOf(client.fetch(STATS_REQ, CTX));
    expect(err).toMatchObject({ code: 'CIRCUIT_OPEN', workspaceId: 7 });
    expect(fake.seen).toHaveLength(3); // the 4th try met the open breaker and was not retried
    expect(attempts.map((a) => a.errorType)).toEqual(['http_5xx', 'http_5xx', 'http_5xx', 'circuit_open']);
    const again = await failureOf(client.fetch({ ...STATS_REQ, end: '2026-03-10' }, CTX));
    expect(again.code).toBe('CIRCUIT_OPEN');
    expect(fake.seen).toHaveLength(3);
  });

  it('does not follow redirects (the key would travel with them)', async () => {
    const fake = await upstream(() => ({ status: 302, headers: { location: 'http://example.invalid/steal' } }));
    const { client } = testClient(fake.url);
    const err = await failureOf(client.fetch(STATS_REQ, CTX));
    expect(err).toMatchObject({ code: 'UPSTREAM_4XX', retryable: false });
    expectSafe(err);
  });
});

describe('Email Bison client: monitoring never fails a call', () => {
  it('returns the upstream answer even when the observer throws', async () => {
    const fake = await upstream(() => ({ json: { data: STATS } }));
    const broken = { ...nullObserver, attempt() { throw new Error('monitoring buffer full'); } };
    const { client } = testClient(fake.url, { observer: broken });
    await expect(client.fetch(STATS_REQ, CTX)).resolves.toMatchObject({ emails_sent: 120 });
  });
});
