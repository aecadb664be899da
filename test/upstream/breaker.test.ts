import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock';
import { SourceError } from '../../src/sources/errors';
import { createBreakerBoard } from '../../src/sources/upstream/breaker';
import { recordingObserver } from './fake-upstream';

const fail5xx = () => Promise.reject(new SourceError('UPSTREAM_5XX', 'server error', true, 3, 503));
const ok = () => Promise.resolve('ok');

function board() {
  const clock = new ManualClock('2026-03-01T09:00:00Z');
  const recorded = recordingObserver();
  const breakers = createBreakerBoard({ failureThreshold: 3, windowMs: 10_000, openMs: 5_000, clock, observer: recorded.observer });
  const guard = (task: () => Promise<unknown>, workspaceId = 3, endpoint = '/api/workspaces/v1.1/stats') =>
    breakers.guard(workspaceId, endpoint, task).catch((err: unknown) => err);
  return { clock, breakers, guard, transitions: recorded.transitions };
}

describe('circuit breaker per (workspace, endpoint)', () => {
  it('opens after `failureThreshold` counted failures within the window, then fails fast', async () => {
    const { breakers, guard, transitions, clock } = board();
    for (let i = 0; i < 3; i++) await guard(fail5xx);
    expect(transitions).toEqual([{ workspaceId: 3, endpoint: '/api/workspaces/v1.1/stats', state: 'open', at: clock.now() }]);

    let called = false;
    const err = await guard(async () => { called = true; });
    expect(called).toBe(false);
    expect(err).toBeInstanceOf(SourceError);
    expect(err).toMatchObject({ code: 'CIRCUIT_OPEN', workspaceId: 3 });
    expect(breakers.snapshot()).toEqual([{
      workspaceId: 3, endpoint: '/api/workspaces/v1.1/stats', state: 'open', failures: 3,
      openedAt: clock.now(), nextProbeAt: clock.now() + 5_000,
    }]);
  });

  it('forgets failures older than the rolling window', async () => {
    const { breakers, guard, clock } = board();
    await guard(fail5xx);
    await guard(fail5xx);
    clock.advance(10_001);
    await guard(fail5xx);
    expect(breakers.snapshot()[0]).toMatchObject({ state: 'closed', failures: 1 });
  });

  it('keeps breakers of other workspaces and endpoints closed', async () => {
    const { breakers, guard } = board();
    for (let i = 0; i < 3; i++) await guard(fail5xx);
    await expect(breakers.guard(4, '/api/workspaces/v1.1/stats', ok)).resolves.toBe('ok');
    await expect(breakers.guard(3, '/api/sender-emails', ok)).resolves.toBe('ok');
  });

  it('does not count answers that show a healthy upstream (404, 422, invalid payload)', async () => {
    const { breakers, guard } = board();
    for (const code of ['UPSTREAM_NOT_FOUND', 'UPSTREAM_4XX', 'UPSTREAM_INVALID_PAYLOAD', 'UPSTREAM_UNAUTHORIZED'] as const) {
      await guard(() => Promise.reject(new SourceError(code, 'x', false, 3)));
    }
    expect(breakers.snapshot()[0]).toMatchObject({ state: 'closed', failures: 0 });
  });

  it('counts 5xx, timeouts and network errors', async () => {
    const { breakers, guard } = board();
    for (const code of ['UPSTREAM_5XX', 'UPSTREAM_TIMEOUT', 'UPSTREAM_NETWORK'] as const) {
      await guard(() => Promise.reject(new SourceError(code, 'x', true, 3)));
    }
    expect(breakers.snapshot()[0].state).toBe('open');
  });

  it('never opens on 429s alone, and a 429 neither counts nor clears earlier failures', async () => {
    const { breakers, guard } = board();
    const rateLimited = () => Promise.reject(new SourceError('UPSTREAM_RATE_LIMITED', 'rate limited', true, 3, 429, 10));
    for (let i = 0; i < 20; i++) await guard(rateLimited);
    expect(breakers.snapshot()[0]).toMatchObject({ state: 'closed', failures: 0 });
    await guard(fail5xx);
    await guard(fail5xx);
    await guard(rateLimited);
    expect(breakers.snapshot()[0]).toMatchObject({ state: 'closed', failures: 2 });
    await guard(fail5xx);
    expect(breakers.snapshot()[0].state).toBe('open');
  });

  it('half-opens after openMs with exactly one probe; a successful probe closes it', async () => {
    const { breakers, guard, transitions, clock } = board();
    for (let i = 0; i < 3; i++) await guard(fail5xx);
    clock.advance(4_999);
    expect(await guard(ok)).toMatchObject({ code: 'CIRCUIT_OPEN' });
    clock.advance(1);

    let release!: () => void;
    const probe = breakers.guard(3, '/api/workspaces/v1.1/stats', () => new Promise<string>((r) => (release = () => r('probed'))));
    expect(await guard(ok)).toMatchObject({ code: 'CIRCUIT_OPEN' }); // a second call during the probe
    release();
    await expect(probe).resolves.toBe('probed');
    expect(transitions.map((t) => t.state)).toEqual(['open', 'half_open', 'closed']);
    expect(breakers.snapshot()[0]).toMatchObject({ state: 'closed', failures: 0, openedAt: null, nextProbeAt: null });
    await expect(breakers.guard(3, '/api/workspaces/v1.1/stats', ok)).resolves.toBe('ok');
  });

  it('reopens when the probe fails, for another openMs', async () => {
    const { breakers, guard, transitions, clock } = board();
    for (let i = 0; i < 3; i++) await guard(fail5xx);
    clock.advance(5_000);
    await guard(fail5xx);
    expect(transitions.map((t) => t.state)).toEqual(['open', 'half_open', 'open']);
    expect(breakers.snapshot()[0]).toMatchObject({ state: 'open', openedAt: clock.now(), nextProbeAt: clock.now() + 5_000 });
  });

  it('lets another probe through when the caller abandoned the first one', async () => {
    const { breakers, guard, clock } = board();
    for (let i = 0; i < 3; i++) await guard(fail5xx);
    clock.advance(5_000);
    await guard(() => Promise.reject(new DOMException('caller left', 'AbortError')));
    await expect(breakers.guard(3, '/api/workspaces/v1.1/stats', ok)).resolves.toBe('ok');
    expect(breakers.snapshot()[0].state).toBe('closed');
  });
});
