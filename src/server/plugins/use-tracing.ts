/**
 * Tracing of what Yoga serves, in the HTTP server and GraphQL semantic conventions:
 *
 * - a SERVER span per request (`POST /graphql`), continuing the caller's W3C `traceparent`;
 * - inside it, a span per GraphQL operation (`query KpiDashboard`) with graphql.operation.type,
 *   graphql.operation.name and graphql.document (string literals blanked: an inline `apiKey:
 *   "..."` must not reach a trace backend), failed when the result carries errors.
 *
 * The operation span is the active context while resolvers run, so the sources' spans (cache miss,
 * queue wait, upstream attempt) hang below it. Probes (/health, /ready, /metrics) are not traced.
 * Added to the gateway only when tracing is on.
 */
import { context, trace, SpanKind, type Span } from '@opentelemetry/api';
import { getOperationAST, print, visit, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ATTR, failSpan, type GatewayTracing } from '../../monitoring/tracing';

const requestSpans = new WeakMap<Request, Span>();

/** The trace id of the request's span, for its log line; null when it is not traced. */
export function traceIdOf(request: Request): string | null {
  return requestSpans.get(request)?.spanContext().traceId ?? null;
}

export interface TracingPluginOptions {
  tracing: GatewayTracing;
  /** Paths named in span names and `http.route`; others are named by their method only. */
  routes: string[];
  /** Paths not traced at all. @default ['/health', '/ready', '/metrics'] */
  untraced?: string[];
}

const sanitized = new WeakMap<DocumentNode, string>();
/** The document as printed, with every string literal replaced by "" (Yoga reuses parsed documents, so this runs once per document). */
function sanitizedDocument(document: DocumentNode): string {
  let text = sanitized.get(document);
  if (text === undefined) {
    text = print(visit(document, { StringValue: (node) => ({ ...node, value: '', block: false }) }));
    sanitized.set(document, text);
  }
  return text;
}

export function useTracing(options: TracingPluginOptions): Plugin {
  const { tracing } = options;
  const routes = new Set(options.routes);
  const untraced = new Set(options.untraced ?? ['/health', '/ready', '/metrics']);
  const operations = new WeakMap<object, Span>();

  function describeOperation(span: Span, document: DocumentNode, operationName: string | null | undefined): void {
    const operation = getOperationAST(document, operationName);
    if (!operation) return;
    const name = operation.name?.value;
    span.updateName(name ? `${operation.operation} ${name}` : operation.operation);
    span.setAttribute(ATTR.graphqlOperationType, operation.operation);
    if (name) span.setAttribute(ATTR.graphqlOperationName, name);
    span.setAttribute(ATTR.graphqlDocument, sanitizedDocument(document));
  }

  return {
    instrumentation: {
      async request({ request }, wrapped) {
        const url = new URL(request.url, 'http://localhost');
        if (untraced.has(url.pathname)) return wrapped();
        const route = routes.has(url.pathname) ? url.pathname : undefined;
        const parent = tracing.extract(request.headers);
        const span = tracing.startSpan(route ? `${request.method} ${route}` : request.method, {
          kind: SpanKind.SERVER,
          attributes: {
            [ATTR.httpMethod]: request.method,
            [ATTR.urlPath]: url.pathname, // never the query: it may carry a secret
            [ATTR.urlScheme]: url.protocol.replace(':', ''),
            [ATTR.httpRoute]: route,
            [ATTR.userAgent]: request.headers.get('user-agent') ?? undefined,
          },
        }, parent);
        requestSpans.set(request, span);
        try {
          await context.with(trace.setSpan(parent, span), wrapped);
        } catch (err) {
          failSpan(span, err);
          throw err;
        } finally {
          span.end();
        }
      },
      async operation({ context: operationContext }, wrapped) {
        const span = tracing.startSpan('GraphQL Operation', {});
        operations.set(operationContext, span);
        try {
          await context.with(trace.setSpan(context.active(), span), wrapped);
        } catch (err) {
          failSpan(span, err); // refused before parsing: an unknown persisted id, an abuse limit
          throw err;
        } finally {
          span.end();
        }
      },
    },
    onParse({ context: operationContext }) {
      return ({ result }) => {
        const span = operations.get(operationContext);
        if (span && result && !(result instanceof Error)) describeOperation(span, result as DocumentNode, operationContext.params?.operationName);
      };
    },
    onExecutionResult({ context: operationContext, result }) {
      const span = operations.get(operationContext);
      const errors = result && !(Symbol.asyncIterator in result) ? (result as ExecutionResult).errors : undefined;
      if (!span || !errors?.length) return;
      // The code only: a message may echo a variable's value (a coercion error quoting an apiKey).
      const code = String(errors[0].extensions?.code ?? 'GRAPHQL_ERROR');
      span.setAttribute('bison.graphql.error_count', errors.length);
      failSpan(span, new Error(code), code);
    },
    onResponse({ request, response }) {
      const span = requestSpans.get(request);
      if (!span) return;
      span.setAttribute(ATTR.httpStatus, response.status);
      if (response.status >= 500) failSpan(span, new Error(`HTTP ${response.status}`), String(response.status));
    },
  };
}
