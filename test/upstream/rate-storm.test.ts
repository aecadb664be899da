/**
 * A 429 storm, at the upstream's real pace (6 calls a minute per key) and the gateway's default
 * pacing (50 a minute, burst 8): 26 keys with a five-minute backlog each. The parts are the real
 * ones (scheduler, breakers, retry policy, the simulator's rate limiter, the 429 mapping); only
 * the HTTP hop is left out so fake timers can run fifteen minutes in milliseconds.
 *
 * After a Retry-After the queued calls of a key must leave at the key's (slowed) rate, not in one
 * millisecond; 429s stay under 10 % of all calls; and no breaker opens on 429s.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/clock';
import { RateLimiter } from '../../src/simulator/rate-limit';
import { SourceError } from '../../src/sources/errors';
import { errorForStatus } from '../../src/sources/email-bison/http-errors';
import { defaultRetryPolicy, withRetries } from '../../src/sources/email-bison/retry';
import { createBreakerBoard } from '../../src/sources/upstream/breaker';
import { createUpstreamScheduler } from '../../src/sources/upstream/scheduler';
import { recordingObserver } from './fake-upstream';

const KEYS = 26;
const BACKLOG = 30; // per key: five minutes of the upstream's budget
const ENDPOINT = '/api/workspaces/v1.1/stats';

describe('a 429 storm (6 calls a minute per key upstream, 50 configured)', () => {
  afterEach(() => vi.useRealTimers());

  it('paces each key after a Retry-After, keeps 429s under 10 % and opens no breaker', async () => {
    vi.useFakeTimers({ now: 0 });
    const upstream = new RateLimiter(systemClock, { perMinute: 6, burst: 10 });
    const scheduler = createUpstreamScheduler({ concurrency: 8, ratePerMinute: 50, burst: 8 });
    const recorded = recordingObserver();
    const breakers = createBreakerBoard({ clock: systemClock, observer: recorded.observer });
    const startsByKey = new Map<string, { at: number; status: number }[]>();
    const statuses: number[] = [];

    /** One logical call as the Email Bison client makes it: retried, each attempt queued, guarded, paused on 429. */
    const call = (workspaceId: number) => {
      const keyId = `key-${workspaceId}`;
      return withRetries(defaultRetryPolicy, () => {
        breakers.breakerFor(workspaceId, ENDPOINT).check();
        return scheduler.run({ keyId, priority: 'interactive' }, async () => {
          try {
            return await breakers.guard(workspaceId, ENDPOINT, async () => {
              const decision = upstream.take(keyId)!;
              statuses.push(decision.allowed ? 200 : 429);
              (startsByKey.get(keyId) ?? startsByKey.set(keyId, []).get(keyId)!).push({ at: Date.now(), status: statuses.at(-1)! });
              if (decision.allowed) return 'ok';
              throw errorForStatus({
                status: 429, headers: new Headers({ 'retry-after': String(decision.retryAfterSeconds) }), body: '{}', endpoint: ENDPOINT, workspaceId,
              });
            });
          } catch (err) {
            if (err instanceof SourceError && err.retryAfterSeconds !== null) scheduler.pause(keyId, err.retryAfterSeconds * 1000);
            throw err;
          }
        });
      }).then(() => 'ok', (err: unknown) => (err instanceof SourceError ? err.code : String(err)));
    };

    const calls = Array.from({ length: KEYS }, (_, k) => Array.from({ length: BACKLOG }, () => call(k + 1))).flat();
    const outcomes: string[] = [];
    void Promise.all(calls).then((o) => outcomes.push(...o));
    for (let minute = 0; minute < 15 && outcomes.length === 0; minute++) await vi.advanceTimersByTimeAsync(60_000);

    const refused = statuses.filter((s) => s === 429).length;
    if (process.env.REPORT_FIGURES) console.log('FIGURES 6/min storm', JSON.stringify({ calls: statuses.length, refused, simulatedMs: Date.now() }));
    expect(refused / statuses.length).toBeLessThan(0.1);
    expect(recorded.transitions.filter((t) => t.state === 'open')).toEqual([]);
    expect(breakers.snapshot().every((b) => b.state === 'closed')).toBe(true);
    // After its first refusal a key's calls leave seconds apart (50 a minute would be 1.2 s): no burst after a pause.
    expect(startsByKey.size).toBe(KEYS);
    for (const starts of startsByKey.values()) {
      const after = starts.slice(starts.findIndex((s) => s.status === 429));
      const gaps = after.slice(1).map((s, i) => s.at - after[i].at);
      expect(gaps.length).toBeGreaterThan(10);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(2_000);
    }
    // The backlog still goes through (some logical calls may give up after their retries).
    expect(outcomes.filter((o) => o === 'ok').length).toBeGreaterThan(KEYS * BACKLOG * 0.5);
  });
});
