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
 */
import { context, trace } from '@opentelemetry/api';
import { ATTR, failSpan, type GatewayTracing } from '../monitoring/tracing';
import type { Fetcher } from './cache/types';
import { workspaceOf } from './resources';
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

export function traceQueueWaits(scheduler: UpstreamScheduler, tracing: GatewayTracing): UpstreamScheduler {
  return {
    ...scheduler,
    run(lane, task) {
      const caller = context.active();
      const wait = tracing.startSpan('upstream queue', { attributes: { 'bison.upstream.priority': lane.priority } }, caller);
      let started = false;
      return scheduler.run(lane, function inCallerContext() {
        started = true;
        wait.end();
        return context.with(caller, task);
      }).catch((err) => {
        if (!started) {
          failSpan(wait, err); // aborted while queued
          wait.end();
        }
        throw err;
      });
    },
  };
}
