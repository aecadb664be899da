/**
 * Abuse limits, as Yoga plugins. What one request may ask (graphql-armor: depth, aliases, tokens,
 * directives, cost; field suggestions hidden in production), how often one token may ask
 * (a token bucket per token, on this replica), and optionally which documents may be asked at all
 * (persisted operations). The body size cap is Yoga's own `maxRequestBodySize` (content-length
 * before reading, then a streaming cap), set from the same limits in gateway.ts.
 *
 * Every refusal is cheap (before execution, most before parsing) and says which limit was hit,
 * with a stable `extensions.code`; nothing about the schema's internals or the data.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { GraphQLError, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { z } from 'zod';
import type { Config } from '../config';
import type { Clock } from '../clock';
import { principalOf } from './auth';

export type Limits = Config['limits'];

type Limit = 'depth' | 'aliases' | 'tokens' | 'directives' | 'cost';

/** A refused document: BAD_USER_INPUT naming the limit; armor's "Syntax Error:" prefix is misleading. */
function limitError(limit: Limit, armorError: GraphQLError): GraphQLError {
  return new GraphQLError(armorError.message.replace(/^Syntax Error:\s*/, ''), {
    extensions: { code: 'BAD_USER_INPUT', limit, http: { status: 400 } },
  });
}

/** Validation rules report into the context (all problems in one answer); the parser must throw. */
function reportTo(limit: Limit) {
  return {
    propagateOnRejection: false,
    onReject: [(ctx: ValidationContext | null, error: GraphQLError) => ctx?.reportError(limitError(limit, error))],
  };
}

/**
 * graphql-armor with our limits. Introspection is exempt from depth and cost (GraphiQL and codegen
 * need it). Armor's cost weights fields by depth and multiplies a selection by a literal `first`:
 * a dashboard operation costs 60-140, one full page of 1,000 mailboxes with ten fields about 82,000.
 * The default limit (100,000) lets that page through and refuses aliased copies of it.
 */
export function useQueryLimits(limits: Limits, options: { production: boolean }): Plugin[] {
  const armor = new EnvelopArmor({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, ...reportTo('depth') },
    maxAliases: { n: limits.maxAliases, ...reportTo('aliases') },
    maxDirectives: { n: 20, ...reportTo('directives') },
    costLimit: { maxCost: limits.maxCost, ignoreIntrospection: true, ...reportTo('cost') },
    maxTokens: {
      n: limits.maxTokens,
      propagateOnRejection: false,
      // Parsing has no context to report into: stop the parser at the first token over the limit.
      onReject: [(_ctx, error) => { throw limitError('tokens', error); }],
    },
    // "Did you mean ...?" would map the schema for a prober; developers have GraphiQL and schema.graphql.
    blockFieldSuggestion: { enabled: options.production },
  });
  return armor.protect().plugins as Plugin[];
}

function tooManyRequests(fetchAPI: { Response: typeof Response }, retryAfterSeconds: number, perMinute: number): Response {
  const body = { errors: [{ message: `Rate limit of ${perMinute} requests a minute for this token exceeded; retry in ${retryAfterSeconds} s`, extensions: { code: 'RATE_LIMITED' } }] };
  return new fetchAPI.Response(JSON.stringify(body), {
    status: 429,
    headers: { 'content-type': 'application/json', 'retry-after': String(retryAfterSeconds) },
  });
}

/**
 * Per-token rate limit on the GraphQL endpoint: a bucket of `perMinute` requests per token,
 * refilled continuously, so a burst of a dashboard's queries passes and a loop does not. Runs
 * after the bearer auth plugin (it keys on the principal). Per replica: N replicas allow N times.
 */
export function useTokenRateLimit(options: { perMinute: number; clock: Clock; graphqlEndpoint: string }): Plugin {
  const { perMinute, clock, graphqlEndpoint } = options;
  const refillPerMs = perMinute / 60_000;
  const buckets = new Map<string, { tokens: number; at: number }>();

  function take(key: string): number {
    const now = clock.now();
    const bucket = buckets.get(key) ?? { tokens: perMinute, at: now };
    // A clock stepped back (NTP, a test) refills nothing rather than draining the bucket for hours.
    bucket.tokens = Math.min(perMinute, bucket.tokens + Math.max(0, now - bucket.at) * refillPerMs);
    bucket.at = now;
    buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerMs / 1000));
  }

  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== graphqlEndpoint) return;
      const principal = principalOf(request);
      if (!principal) return; // GraphiQL page, websocket upgrade: not a GraphQL request here
      const wait = take(principal.tokenId === null ? 'bootstrap-admin' : `token:${principal.tokenId}`);
      if (wait > 0) endResponse(tooManyRequests(fetchAPI, wait, perMinute));
    },
  };
}

const manifestSchema = z.record(z.string().min(1), z.string().min(1));

/** Persisted operations by id: a JSON object `{ "<id>": "<document>" }`; the sha256 of each document is an id too. */
export function loadPersistedOperations(file: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`PERSISTED_OPERATIONS_FILE: cannot read ${file} as JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const manifest = manifestSchema.safeParse(parsed);
  if (!manifest.success) throw new Error(`PERSISTED_OPERATIONS_FILE: ${file} wants a JSON object of id -> GraphQL document`);
  const operations = new Map<string, string>();
  for (const [id, document] of Object.entries(manifest.data)) {
    operations.set(id, document);
    operations.set(sha256(document), document);
  }
  return operations;
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function persistedError(message: string, code: string, status: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status } } });
}

/**
 * Lets clients send `{ "documentId": "<id>" }` (GraphQL over HTTP) or Apollo's
 * `extensions.persistedQuery.sha256Hash` instead of a document. With `only`, any other document
 * is refused: the gateway then runs exactly the operations its dashboards were built with.
 */
export function usePersistedOperations(options: { operations: Map<string, string>; only: boolean }): Plugin {
  return {
    onParams({ params, setParams }) {
      const raw = params as typeof params & { documentId?: unknown };
      const persisted = (params.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery;
      const id = raw.documentId ?? persisted?.sha256Hash;
      if (id != null) {
        const document = typeof id === 'string' ? options.operations.get(id) : undefined;
        if (!document) throw persistedError('PersistedQueryNotFound: no persisted operation with this id', 'PERSISTED_QUERY_NOT_FOUND', 400);
        const { documentId: _dropped, ...rest } = raw;
        setParams({ ...rest, query: document });
        return;
      }
      if (options.only) {
        throw persistedError('Only persisted operations are accepted: send documentId instead of a query', 'PERSISTED_QUERY_ONLY', 400);
      }
    },
  };
}

/** graphql-js's message for a variable it could not coerce: `Variable "$x" got invalid value <value>[ at "x.path"]; <reason>`. */
const COERCION = /^(Variable "\$[^"]+" got invalid value) /;

/**
 * A client's mistake gets a code: GRAPHQL_PARSE_FAILED, BAD_USER_INPUT (a variable of the wrong
 * type) or GRAPHQL_VALIDATION_FAILED; graphql-js gives none. A coercion message loses the echoed
 * value, which may be a whole ClientInput with its api key: the path and the reason stay.
 */
function withCode(error: GraphQLError): GraphQLError {
  if (error.extensions?.code || error.path) return error;
  const coercion = COERCION.exec(error.message);
  let message = error.message;
  let code = 'GRAPHQL_VALIDATION_FAILED';
  if (/^Syntax Error/.test(message)) code = 'GRAPHQL_PARSE_FAILED';
  else if (/^Variable "\$[^"]+" of (non-null|required) type/.test(message)) code = 'BAD_USER_INPUT';
  else if (coercion) {
    code = 'BAD_USER_INPUT';
    const reason = error.originalError?.message ?? 'not of the declared type';
    const head = reason && message.endsWith(`; ${reason}`) ? message.slice(0, -reason.length - 2) : message;
    const at = / at ("[^"]*")$/.exec(head);
    message = `${coercion[1]}${at ? ` at ${at[1]}` : ''}; ${reason}`;
  }
  return new GraphQLError(message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { ...error.extensions, code } });
}

export function useClientErrorCodes(): Plugin {
  type Result = { errors?: readonly GraphQLError[] };
  const coded = (r: Result) => (r.errors?.length ? { ...r, errors: r.errors.map((e) => (e instanceof GraphQLError ? withCode(e) : e)) } : r);
  return {
    onResultProcess({ result, setResult }) {
      if (Symbol.asyncIterator in result) return; // subscription events carry execution errors only
      setResult((Array.isArray(result) ? result.map(coded) : coded(result as Result)) as typeof result);
    },
  };
}

/** The GraphQL-level abuse plugins, in order, for the plugins array after the bearer auth plugin. */
export function securityPlugins(config: Config, clock: Clock, graphqlEndpoint: string): Plugin[] {
  const { file, only } = config.persistedOperations;
  return [
    useClientErrorCodes(),
    useTokenRateLimit({ perMinute: config.limits.ratePerMinute, clock, graphqlEndpoint }),
    ...(file ? [usePersistedOperations({ operations: loadPersistedOperations(file), only })] : []),
    ...useQueryLimits(config.limits, { production: config.env === 'production' }),
  ];
}
