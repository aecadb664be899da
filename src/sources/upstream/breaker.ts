/**
 * Circuit breakers, one per (workspace, endpoint). A breaker counts the failures that say "the
 * upstream is in trouble" (5xx, timeouts, network errors) over a rolling window; at
 * `failureThreshold` it opens and every call fails fast with CIRCUIT_OPEN for `openMs`. Then one
 * probe call is let through (half-open): success closes the breaker, a counted failure reopens it.
 * Answers that show a healthy upstream (2xx, 404, 422...) count as success. A 429 proves nothing
 * either way: the upstream is up and asks us to slow down, which the scheduler does (key-pace.ts);
 * opening the breaker on it would turn a rate limit into an outage.
 */
import type { Clock } from '../../clock';
import type { SourceObserver } from '../../monitoring/events';
import { SourceError, type SourceErrorCode } from '../errors';
import { quietObserver } from './quiet-observer';

export type BreakerState = 'closed' | 'open' | 'half_open';
export type BreakerOutcome = 'success' | 'failure' | 'neutral';

export interface BreakerSnapshot {
  workspaceId: number | null;
  endpoint: string;
  state: BreakerState;
  /** Counted failures inside the rolling window. */
  failures: number;
  openedAt: number | null;
  nextProbeAt: number | null;
}

export interface Breaker {
  /** Fast check before queueing: throws CIRCUIT_OPEN while open and no probe is due. */
  check(): void;
  /** Claims the right to call now (the probe slot when half-open); throws CIRCUIT_OPEN otherwise. */
  enter(): void;
  /** Reports how the call that `enter`ed ended; `neutral` (e.g. the caller gave up) proves nothing. */
  settle(outcome: BreakerOutcome): void;
  snapshot(): BreakerSnapshot;
}

export interface BreakerBoard {
  breakerFor(workspaceId: number | null, endpoint: string): Breaker;
  /** Runs `task` under the breaker of (workspace, endpoint); counts its outcome. */
  guard<T>(workspaceId: number | null, endpoint: string, task: () => Promise<T>): Promise<T>;
  snapshot(): BreakerSnapshot[];
}

export interface BreakerOptions {
  /** Counted failures within `windowMs` that open the breaker. @default 5 */
  failureThreshold?: number;
  /** @default 60_000 */
  windowMs?: number;
  /** How long an open breaker refuses calls before a probe. @default 30_000 */
  openMs?: number;
  clock: Clock;
  observer: SourceObserver;
}

const COUNTED: ReadonlySet<SourceErrorCode> = new Set(['UPSTREAM_5XX', 'UPSTREAM_TIMEOUT', 'UPSTREAM_NETWORK']);

/** How a failed call counts: upstream trouble, a healthy upstream refusing us, or no evidence (a 429, the caller leaving). */
export function breakerOutcomeOf(err: unknown): BreakerOutcome {
  if (!(err instanceof SourceError) || err.code === 'UPSTREAM_RATE_LIMITED') return 'neutral';
  return COUNTED.has(err.code) ? 'failure' : 'success';
}

export function createBreakerBoard(options: BreakerOptions): BreakerBoard {
  const { failureThreshold = 5, windowMs = 60_000, openMs = 30_000, clock } = options;
  const observer = quietObserver(options.observer);
  const breakers = new Map<string, Breaker>();

  function createBreaker(workspaceId: number | null, endpoint: string): Breaker {
    let state: BreakerState = 'closed';
    let failures: number[] = [];
    let openedAt: number | null = null;
    let probeInFlight = false;

    function transition(to: BreakerState): void {
      state = to;
      observer.breaker({ workspaceId, endpoint, state: to, at: clock.now() });
    }
    function open(): void {
      openedAt = clock.now();
      probeInFlight = false;
      transition('open');
    }
    /** An open breaker becomes half-open once its wait is over (checked lazily on use). */
    function promote(): void {
      if (state === 'open' && openedAt !== null && clock.now() >= openedAt + openMs) transition('half_open');
    }
    function recentFailures(): number {
      const since = clock.now() - windowMs;
      failures = failures.filter((t) => t > since);
      return failures.length;
    }
    function refuse(): never {
      const scope = workspaceId === null ? '' : ` for workspace ${workspaceId}`;
      throw new SourceError('CIRCUIT_OPEN', `Email Bison ${endpoint}${scope} is failing; calls paused until the circuit breaker probes again`, true, workspaceId);
    }

    return {
      check() {
        promote();
        if (state === 'open' || (state === 'half_open' && probeInFlight)) refuse();
      },
      enter() {
        promote();
        if (state === 'open') refuse();
        if (state === 'half_open') {
          if (probeInFlight) refuse();
          probeInFlight = true;
        }
      },
      settle(outcome) {
        if (outcome === 'neutral') {
          probeInFlight = false;
          return;
        }
        if (outcome === 'success') {
          failures = [];
          probeInFlight = false;
          if (state !== 'closed') {
            openedAt = null;
            transition('closed');
          }
          return;
        }
        if (state === 'half_open') return open();
        if (state === 'open') return; // a call that started before the breaker opened
        failures.push(clock.now());
        if (recentFailures() >= failureThreshold) open();
      },
      snapshot() {
        promote();
        return {
          workspaceId,
          endpoint,
          state,
          failures: recentFailures(),
          openedAt,
          nextProbeAt: state === 'closed' || openedAt === null ? null : openedAt + openMs,
        };
      },
    };
  }

  function breakerFor(workspaceId: number | null, endpoint: string): Breaker {
    const id = `${workspaceId ?? '-'} ${endpoint}`;
    let breaker = breakers.get(id);
    if (!breaker) breakers.set(id, (breaker = createBreaker(workspaceId, endpoint)));
    return breaker;
  }

  return {
    breakerFor,
    async guard(workspaceId, endpoint, task) {
      const breaker = breakerFor(workspaceId, endpoint);
      breaker.enter();
      try {
        const result = await task();
        breaker.settle('success');
        return result;
      } catch (err) {
        breaker.settle(breakerOutcomeOf(err));
        throw err;
      }
    },
    snapshot: () => [...breakers.values()].map((b) => b.snapshot()),
  };
}
