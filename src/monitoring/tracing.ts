/**
 * What the gateway's parts see of tracing: `GatewayTracing`, made by `createTracing` in
 * tracing-sdk.ts (loaded only when tracing is on), or `tracingOff`, the default everywhere.
 *
 * Off, `span` calls the function directly and nothing else runs: the request path pays one closure
 * per upstream attempt, which is nothing next to an HTTP call. Only @opentelemetry/api is loaded.
 */
import { context, trace, INVALID_SPAN_CONTEXT, SpanKind, SpanStatusCode, type Attributes, type Context, type Link, type Span } from '@opentelemetry/api';
import {
  ATTR_DB_COLLECTION_NAME, ATTR_DB_OPERATION_NAME, ATTR_DB_SYSTEM_NAME, ATTR_ERROR_TYPE, ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_RESEND_COUNT, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_HTTP_ROUTE, ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT,
  ATTR_URL_PATH, ATTR_URL_SCHEME, ATTR_USER_AGENT_ORIGINAL,
} from '@opentelemetry/semantic-conventions';
import type { Db } from '../sources/db/types';

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** Start a new trace instead of a child of the active span (background work); link to it instead. */
  root?: boolean;
  links?: Link[];
}

export interface GatewayTracing {
  readonly enabled: boolean;
  /** Runs `fn` in a span, child of the active one; ends it when `fn` settles; a throw marks it failed. */
  span<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T>;
  /** A span to end by hand (its context is not made active). */
  startSpan(name: string, options: SpanOptions, parent?: Context): Span;
  /** `traceparent` (and `tracestate`) of the active span, for a request it causes; undefined when off. */
  outgoingHeaders(): Record<string, string> | undefined;
  /** The context an incoming request asks to continue (its `traceparent`), on top of `base`. */
  extract(headers: Headers, base?: Context): Context;
  /** Exports what has ended so far. */
  flush(): Promise<void>;
  /** Flushes and stops; the tracing is off afterwards. */
  shutdown(): Promise<void>;
}

/** A span that records nothing: what `span` hands to `fn` when tracing is off. */
const NOOP_SPAN = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

export const tracingOff: GatewayTracing = {
  enabled: false,
  span: (_name, _options, fn) => fn(NOOP_SPAN),
  startSpan: () => NOOP_SPAN,
  outgoingHeaders: () => undefined,
  extract: (_headers, base = context.active()) => base,
  flush: async () => {},
  shutdown: async () => {},
};

/**
 * The span attributes the gateway sets, in one place: semantic conventions (the incubating ones
 * copied, as the @opentelemetry/semantic-conventions README advises) and the gateway's own.
 */
export const ATTR = {
  errorType: ATTR_ERROR_TYPE,
  httpMethod: ATTR_HTTP_REQUEST_METHOD,
  httpStatus: ATTR_HTTP_RESPONSE_STATUS_CODE,
  httpRoute: ATTR_HTTP_ROUTE,
  httpResendCount: ATTR_HTTP_REQUEST_RESEND_COUNT,
  urlPath: ATTR_URL_PATH,
  urlScheme: ATTR_URL_SCHEME,
  userAgent: ATTR_USER_AGENT_ORIGINAL,
  serverAddress: ATTR_SERVER_ADDRESS,
  serverPort: ATTR_SERVER_PORT,
  dbSystem: ATTR_DB_SYSTEM_NAME,
  dbOperation: ATTR_DB_OPERATION_NAME,
  dbCollection: ATTR_DB_COLLECTION_NAME,
  graphqlDocument: 'graphql.document',
  graphqlOperationName: 'graphql.operation.name',
  graphqlOperationType: 'graphql.operation.type',
  urlTemplate: 'url.template',
  /** Email Bison workspace an upstream call or cache entry is about (never a key). */
  workspaceId: 'bison.workspace.id',
  /** Resource kind of a cache entry: stats, sender-emails, sending-schedules, workspaces. */
  resource: 'bison.resource',
  /** What caused upstream work: request, background, refresh, prime, webhook. */
  triggeredBy: 'bison.triggered_by',
} as const;

/** Marks a span failed: `error.type` (a SourceError's code, else the error's name) and the status. */
export function failSpan(span: Span, err: unknown, type?: string): void {
  const code = (err as { code?: unknown })?.code;
  span.setAttribute(ATTR.errorType, type ?? (typeof code === 'string' ? code : err instanceof Error ? err.name : 'error'));
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
}


/** A write's `<OPERATION> <table>`, e.g. `INSERT api_health_logs`; any other statement: its first word. */
function statementSummary(sql: string): { operation: string; table: string | null } {
  const write = /^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+([A-Za-z_][\w.]*)/i.exec(sql);
  if (write) return { operation: write[1].split(/\s/)[0].toUpperCase(), table: write[2] };
  return { operation: /^\s*(\w+)/.exec(sql)?.[1].toUpperCase() ?? 'QUERY', table: null };
}

/** `db` whose every statement runs in a CLIENT span (Postgres semantic conventions); the SQL text is left out. */
export function traceQueries(db: Pick<Db, 'query'>, tracing: GatewayTracing): Pick<Db, 'query'> {
  return {
    query(sql, params) {
      const { operation, table } = statementSummary(sql);
      const summary = table ? `${operation} ${table}` : operation;
      const attributes = { [ATTR.dbSystem]: 'postgresql', [ATTR.dbOperation]: operation, [ATTR.dbCollection]: table ?? undefined, 'db.query.summary': summary };
      return tracing.span(summary, { kind: SpanKind.CLIENT, attributes }, () => db.query(sql, params));
    },
  };
}
