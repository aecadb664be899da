/**
 * The Email Bison client: the one place the gateway talks to the upstream.
 *
 * Every HTTP attempt is queued on the shared scheduler (pool + per-key pacing), passes the circuit
 * breaker of its (workspace, endpoint), is validated with zod, and is reported to monitoring as
 * one `attempt`. Retries (p-retry) re-queue. The per-attempt timeout and the retry deadline start
 * when a request is sent: time waiting in the gateway's own queues is no upstream failure and
 * counts against no breaker. A super-admin key acts on a server-side "current workspace", so its
 * calls run in workspace groups (key-lock.ts): one switch, then that workspace's calls together.
 * An api-user key answering 401 is reported (`onKeyRejected`) and the call retried once with
 * whatever key the workspace has then.
 */
import { systemClock, type Clock } from '../../clock';
import type { SourceObserver, TriggeredBy } from '../../monitoring/events';
import { ATTR, tracingOff, type GatewayTracing } from '../../monitoring/tracing';
import { isDatabaseUnavailable } from '../db/unavailable';
import { SourceError } from '../errors';
import type { Resource, ValueOf } from '../resources';
import type { BreakerBoard } from '../upstream/breaker';
import { createKeyLock, type KeyLock } from '../upstream/key-lock';
import { quietObserver } from '../upstream/quiet-observer';
import type { UpstreamPriority, UpstreamScheduler } from '../upstream/scheduler';
import { keyIdOf, type AccessResolver, type UpstreamAccess } from './access';
import { errorTypeOf } from './http-errors';
import { walkAllPages } from './pages';
import { defaultRetryPolicy, withRetries, type RetryPolicy } from './retry';
import { routes, SENDER_EMAILS, type Route } from './routes';
import { sendOnce } from './send';
import { attemptSpan, serverOf } from './upstream-attempt';

export interface FetchContext {
  priority: UpstreamPriority;
  triggeredBy: TriggeredBy;
  signal?: AbortSignal;
  /** Withdraws the call only while it still waits in the queue; once sent, it runs to its answer. */
  queueSignal?: AbortSignal;
}

export interface MintedApiToken {
  id: number;
  /** The new api-user key (`<id>|<secret>`): store it encrypted, never log it. */
  token: string;
}

export interface EmailBisonClient {
  fetch<R extends Resource>(resource: R, ctx: FetchContext): Promise<ValueOf<R>>;
  /** Mints an api-user key pinned to `workspaceId` (needs the super-admin key). Not retried, except a 429. */
  mintApiToken(workspaceId: number, name: string, ctx?: Partial<FetchContext>): Promise<MintedApiToken>;
}

export interface EmailBisonClientOptions {
  access: AccessResolver;
  scheduler: UpstreamScheduler;
  breakers: BreakerBoard;
  observer: SourceObserver;
  /** Per attempt. @default 45_000 */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Requested page size of paginated lists (the upstream caps it, observed 15). @default 15 */
  pageSize?: number;
  /** Timestamps of attempt reports. @default systemClock */
  clock?: Clock;
  /** Super-admin workspace sessions (give one with a cluster lock when replicas share the key). @default createKeyLock() */
  keyLock?: KeyLock;
  /**
   * An api-user key answered 401: true when the workspace may now have a better key (the call is
   * then retried once with what `access` gives).
   */
  onKeyRejected?: (workspaceId: number, access: UpstreamAccess) => Promise<boolean>;
  /** A span per attempt (upstream-attempt.ts); its traceparent goes upstream. @default tracingOff */
  tracing?: GatewayTracing;
}

/** The key a sequence runs with, and for whom. */
interface Session {
  access: UpstreamAccess;
  keyId: string;
  ctx: FetchContext;
}

export function createEmailBisonClient(options: EmailBisonClientOptions): EmailBisonClient {
  const { scheduler, breakers, timeoutMs = 45_000, pageSize = 15, clock = systemClock, tracing = tracingOff } = options;
  const observer = quietObserver(options.observer);
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...options.retry };
  const keyLock = options.keyLock ?? createKeyLock({ clock });

  async function open(workspaceId: number | null, ctx: FetchContext): Promise<Session> {
    const access = await options.access(workspaceId).catch((err: unknown) => {
      if (!isDatabaseUnavailable(err)) throw err;
      const scope = workspaceId === null ? 'the instance' : `workspace ${workspaceId}`;
      throw new SourceError('REGISTRY_UNAVAILABLE', `The key for ${scope} could not be read: the gateway's database is unreachable`, true, workspaceId);
    });
    if (!access) {
      const scope = workspaceId === null ? 'the instance (super-admin key)' : `workspace ${workspaceId}`;
      throw new SourceError('NO_API_KEY', `No Email Bison API key is configured for ${scope}`, false, workspaceId);
    }
    return { access: { ...access, baseUrl: access.baseUrl.replace(/\/+$/, '') }, keyId: keyIdOf(access), ctx };
  }

  /** One logical call: retried attempts, each queued, guarded and reported. */
  function call<T>(s: Session, route: Route<T>, retryable = true): Promise<T> {
    let firstSentAt: number | null = null;
    const sent = () => (firstSentAt ??= performance.now());
    return withRetries(policy, (n) => attempt(s, route, n, sent), {
      signal: s.ctx.signal,
      // POSTs that create something are retried only when refused before any work (429).
      mayRetry: (err) => retryable || err.code === 'UPSTREAM_RATE_LIMITED',
      firstSentAt: () => firstSentAt,
    });
  }

  async function attempt<T>(s: Session, route: Route<T>, attemptNumber: number, sent: () => void): Promise<T> {
    const report = (statusCode: number | null, latencyMs: number, at: number, err?: unknown) =>
      observer.attempt({
        api: 'email_bison', endpoint: route.endpoint, method: route.method, workspaceId: route.workspaceId,
        statusCode, latencyMs, success: err === undefined, errorType: err === undefined ? null : errorTypeOf(err),
        attempt: attemptNumber, triggeredBy: s.ctx.triggeredBy, at,
      });
    try {
      breakers.breakerFor(route.workspaceId, route.endpoint).check(); // fail fast, before queueing
    } catch (err) {
      report(null, 0, clock.now(), err);
      throw err;
    }
    const { signal, queueSignal } = s.ctx;
    const lane = { keyId: s.keyId, priority: s.ctx.priority, signal: signal && queueSignal ? AbortSignal.any([signal, queueSignal]) : (signal ?? queueSignal) };
    return scheduler.run(lane, () => tracing.span(...attemptSpan(route, attemptNumber, s.ctx.triggeredBy), async function attemptUpstream(span) {
      sent();
      const at = clock.now();
      const started = performance.now();
      try {
        const url = route.url(s.access.baseUrl);
        span.setAttributes(serverOf(url));
        const { status, value } = await breakers.guard(route.workspaceId, route.endpoint, () =>
          sendOnce({ ...route, url }, { key: s.access.key, timeoutMs, signal: s.ctx.signal, observer, traceHeaders: tracing.outgoingHeaders() }));
        report(status, performance.now() - started, at);
        span.setAttribute(ATTR.httpStatus, status);
        return value;
      } catch (err) {
        const status = err instanceof SourceError ? err.status : null;
        if (err instanceof SourceError && err.retryAfterSeconds !== null) scheduler.pause(s.keyId, err.retryAfterSeconds * 1000);
        report(status, performance.now() - started, at, err);
        if (status !== null) span.setAttribute(ATTR.httpStatus, status);
        throw err; // the span is marked failed with the error's code
      }
    }));
  }

  /** Runs `load` in the workspace: directly with an api-user key, in the key's workspace group otherwise. */
  function inWorkspace<T>(s: Session, workspaceId: number, load: () => Promise<T>): Promise<T> {
    if (s.access.kind === 'api-user') return load();
    return keyLock.run(s.keyId, workspaceId, load, async function switchWorkspace() {
      await call(s, routes.switchWorkspace(workspaceId));
    });
  }

  async function fetchResource(resource: Resource, ctx: FetchContext): Promise<unknown> {
    if (resource.kind === 'workspaces') return call(await open(null, ctx), routes.workspaces());
    const s = await open(resource.workspaceId, ctx);
    try {
      return await fetchInWorkspace(s, resource);
    } catch (err) {
      const refused = err instanceof SourceError && err.code === 'UPSTREAM_UNAUTHORIZED' && s.access.kind === 'api-user';
      if (!refused || !options.onKeyRejected || !(await options.onKeyRejected(resource.workspaceId, s.access))) throw err;
      return fetchInWorkspace(await open(resource.workspaceId, ctx), resource); // once: a second 401 stands
    }
  }

  function fetchInWorkspace(s: Session, resource: Exclude<Resource, { kind: 'workspaces' }>): Promise<unknown> {
    switch (resource.kind) {
      case 'stats':
        return inWorkspace(s, resource.workspaceId, () => call(s, routes.stats(resource.workspaceId, resource.start, resource.end)));
      case 'sending-schedules':
        return inWorkspace(s, resource.workspaceId, () => call(s, routes.sendingSchedules(resource.workspaceId, resource.day)));
      case 'sender-emails':
        return inWorkspace(s, resource.workspaceId, () =>
          walkAllPages({
            firstUrl: routes.senderEmailsFirstPage(s.access.baseUrl, pageSize),
            baseUrl: s.access.baseUrl,
            workspaceId: resource.workspaceId,
            endpoint: SENDER_EMAILS,
            fetchPage: (url) => call(s, routes.senderEmailsPage(resource.workspaceId, url)),
          }));
    }
  }

  return {
    fetch: <R extends Resource>(resource: R, ctx: FetchContext) => fetchResource(resource, ctx) as Promise<ValueOf<R>>,
    async mintApiToken(workspaceId, name, ctx) {
      const s = await open(null, { priority: 'interactive', triggeredBy: 'request', ...ctx });
      if (s.access.kind !== 'super-admin') {
        throw new SourceError('NO_API_KEY', 'Minting an api-user key needs the super-admin key (EMAIL_BISON_API_KEY)', false, workspaceId);
      }
      const minted = await call(s, routes.mintToken(workspaceId, name), false);
      return { id: minted.id, token: minted.plain_text_token };
    },
  };
}
