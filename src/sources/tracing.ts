/**
 * Spans around the sources, put on at composition (src/server/services.ts) only when tracing is on:
 *
 * - `traceFetches`: each fetch the cache makes. A read that missed waits for it: `cache miss
 *   <resource>`, a child of the operation. A background refresh (stale-while-revalidate,
 *   refresh-ahead, webhook, priming) outlives whoever triggered it: a trace of its own, linked.
 * - `traceQueueWaits`: the time a call waits in the scheduler for a pool slot and its key's rate
 *   budget. The scheduler starts a queued call from whichever call just finished (or a timer), so
 *   the caller's context is captured here and the call runs in it: its attempt span, and the
 *   traceparent sent upstream, belong to the trace that queued it.
 * - `traceKeySessions`: the same for a super-admin key's workspace groups, which start a waiting
 *   workspace's calls when another group lets go of the key: `super-admin session wait`.
 */
import { context, trace, type Attributes } from '@opentelemetry/api';
import { ATTR, failSpan, type GatewayTracing } from '../monitoring/tracing';
import type { Fetcher } from './cache/types';
import { workspaceOf } from './resources';
import type { KeyLock } from './upstream/key-lock';
import type { UpstreamScheduler } from './upstream/scheduler';

export function traceFetches(fetch: Fetcher, tracing: GatewayTracing): Fetcher {
  return function tracedFetch(resource, ctx) {
    const attributes = { [ATTR.resource]: resource.kind, [ATTR.workspaceId]: workspaceOf(resource) ?? undefined, [ATTR.triggeredBy]: ctx.triggeredBy };
    if (ctx.priority === 'interactive') return tracing.span(`cache miss ${resource.kind}`, { attributes }, () => fetch(resource, ctx));
    const cause = trace.getSpanContext(context.active());
    const links = cause ? [{ context: cause }] : [];
    return tracing.span(`cache refresh ${resource.kind}`, { attributes, root: true, links }, () => fetch(resource, ctx));
  };
}

/** Runs `queue(run)` with a span named `name` open until `run` is called, then `task` in the caller's context. */
function waitInCallerContext<T>(tracing: GatewayTracing, name: string, attributes: Attributes, queue: (run: () => Promise<T>) => Promise<T>, task: () => Promise<T>): Promise<T> {
  const caller = context.active();
  const wait = tracing.startSpan(name, { attributes }, caller);
  let started = false;
  return queue(function inCallerContext() {
    started = true;
    wait.end();
    return context.with(caller, task);
  }).catch((err) => {
    if (!started) {
      failSpan(wait, err); // gave up while waiting
      wait.end();
    }
    throw err;
  });
}

export function traceQueueWaits(scheduler: UpstreamScheduler, tracing: GatewayTracing): UpstreamScheduler {
  return {
    ...scheduler,
    run: (lane, task) => waitInCallerContext(tracing, 'upstream queue', { 'bison.upstream.priority': lane.priority }, (run) => scheduler.run(lane, run), task),
  };
}

export function traceKeySessions(keyLock: KeyLock, tracing: GatewayTracing): KeyLock {
  return {
    run(keyId, workspaceId, work, switchTo) {
      const caller = context.active();
      // A group's switch runs on behalf of the call that started it: in that call's context too.
      const switchInContext = () => context.with(caller, switchTo);
      return waitInCallerContext(tracing, 'super-admin session wait', { [ATTR.workspaceId]: workspaceId }, (run) => keyLock.run(keyId, workspaceId, run, switchInContext), work);
    },
  };
}
