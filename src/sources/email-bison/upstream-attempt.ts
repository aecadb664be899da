/**
 * The span of one HTTP attempt against Email Bison, in the HTTP client semantic conventions:
 * named `<method> <route template>`, with the template (never the URL: its query may be anything
 * a route adds), the host, the resend count on retries and the workspace. No key, ever.
 */
import { SpanKind, type Attributes } from '@opentelemetry/api';
import type { TriggeredBy } from '../../monitoring/events';
import { ATTR, type SpanOptions } from '../../monitoring/tracing';
import type { Route } from './routes';

export function attemptSpan(route: Route<unknown>, attemptNumber: number, triggeredBy: TriggeredBy): [string, SpanOptions] {
  return [`${route.method} ${route.endpoint}`, {
    kind: SpanKind.CLIENT,
    attributes: {
      [ATTR.httpMethod]: route.method,
      [ATTR.urlTemplate]: route.endpoint,
      ...(attemptNumber > 1 ? { [ATTR.httpResendCount]: attemptNumber - 1 } : {}),
      [ATTR.workspaceId]: route.workspaceId ?? undefined,
      [ATTR.triggeredBy]: triggeredBy,
    },
  }];
}

/** `server.address` and `server.port` of the URL an attempt goes to. */
export function serverOf(url: URL): Attributes {
  return { [ATTR.serverAddress]: url.hostname, [ATTR.serverPort]: Number(url.port) || (url.protocol === 'https:' ? 443 : 80) };
}
