/**
 * The response cache in front of execution: a warm dashboard answer is sent from a precomputed
 * Buffer, before Yoga sees the request, while it is provably what executing the query now would
 * give (DESIGN.md, "Freshness, caching and resilience").
 *
 * An answer is kept under the operation (the request body: document, operation name, variables,
 * extensions), the caller's scope (`scopeOf` in src/access.ts: every ADMIN shares, the CLIENT tokens
 * of one workspace share, different workspaces never), and the negotiated representation (Accept,
 * Origin). It remembers the source-cache entries it read and is dropped when any of them changes:
 * a refresh landing or failing, a webhook's stale mark, a read finding it expired (cache `onChange`,
 * here and, through the events' Redis pub/sub, on other replicas), a refresh starting or ending
 * (`refreshing`), `clearCache` and any registry write (which drop every answer, on every replica).
 * An answer whose computation overlapped such a change is not kept at all.
 *
 * Time: an answer is served at most 1 s after it was computed and only while nothing it shows
 * changes by time alone (`unchangedUntil` in src/sources/freshness.ts: an `ageSeconds` ticks a
 * whole second after its `fetchedAt`, and fetch times are recorded to the whole second
 * (`fetchStamp`), so all ages tick together on the clock's whole second; a state turns STALE at its
 * TTL), and never across a UTC quarter hour (where a business day can begin, in any time zone). So
 * a hit is byte for byte what execution would answer at that instant, `ageSeconds` included.
 *
 * What is cached: POST application/json queries whose root fields are dashboards (`kpi`,
 * `kpiStream`, `volume`, `revenue`, `infrastructure`), answered 200 as one JSON result, without
 * errors other than FORBIDDEN (the same for the whole scope), with every read served (no ERROR
 * part, no request deadline cut, not from a replica's local copy while Redis is unreachable).
 * Everything else (mutations, subscriptions, introspection, @defer/@stream, other errors, GET, SSE,
 * requests refused by auth, rate or abuse limits) goes through Yoga as before. A hit still needs a
 * valid bearer token (verified again), an address within its auth-failure budget and a request from
 * the token's rate bucket; anything refused falls through to Yoga, which answers the refusal.
 * Concurrent misses of one key wait for the first one's answer instead of all executing.
 *
 * ETags are the SHA-1 of the body; a matching `If-None-Match` gets 304 without a body (hit or miss).
 *
 * Why not `@graphql-yoga/plugin-response-cache`: its key is document + variables + session, so the
 * versions of what an answer read (known only after executing) cannot be part of it; it invalidates
 * by GraphQL entity (`__typename` + id), not by the source-cache entries an answer read; its ETag is
 * the cache key, not the content; and its hit is answered inside Yoga (request adaptation, params
 * parsing, result serialization), which is the bare Yoga server's own per-request work: the issue's
 * target of 1.5 x a bare Yoga server cannot be met from inside Yoga (bench/README.md, B2).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, RequestListener, ServerResponse } from 'node:http';
import { Kind, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { scopeOf, type Principal } from '../access';
import type { Clock } from '../clock';
import type { Logger } from '../monitoring/logger';
import type { GatewayMetrics } from '../monitoring/metrics';
import type { GatewayContext } from '../resolvers/context';
import { unchangedUntil } from '../sources/freshness';
import type { Authenticate } from './auth';
import { addressOf, type AuthFailureLimiter } from './auth-failures';
import type { TokenRateLimiter } from './plugins/use-token-rate-limit';

/** Root fields whose answers follow from the entries they read, the registry and the clock alone. */
const CACHEABLE_FIELDS = new Set(['kpi', 'kpiStream', 'volume', 'revenue', 'infrastructure', '__typename']);
/** GraphQL errors that are the same for every request of one scope (a CLIENT token asking for revenue). */
const CACHEABLE_ERROR_CODES = new Set(['FORBIDDEN']);
/** An answer is never served later than this after it was computed. */
export const MAX_ANSWER_AGE_MS = 1000;
/** Every time zone's offset is a whole number of quarter hours: a business day begins on one. */
const QUARTER_HOUR_MS = 15 * 60_000;

export interface CachedAnswer {
  /** Response headers as Yoga sent them (content type, CORS), without content-length and etag. */
  headers: Record<string, string>;
  body: Buffer;
  etag: string;
  /** Served while validFrom <= now < validUntil on the gateway's clock. */
  validFrom: number;
  validUntil: number;
  /** Source-cache keys of the entries the answer read. */
  deps: readonly string[];
}

export interface ResponseCache {
  /** Taken before an answer is computed; `put` refuses it if what it may have read changed since. */
  begin(): number;
  get(key: string, now: number): CachedAnswer | undefined;
  /** Keeps the answer unless an entry it read (or everything) was invalidated after `since`. */
  put(key: string, answer: CachedAnswer, since: number): boolean;
  /** An entry changed: drops every answer that read it. */
  invalidate(entryKey: string): void;
  /** The registry or the whole cache changed: drops every answer. */
  invalidateAll(): void;
  size(): number;
}

/** Entry-change marks kept at most (the keys include date windows: without a bound they would only grow). */
const MAX_CHANGE_MARKS = 10_000;

export function createResponseCache(options: { maxEntries: number }): ResponseCache {
  const { maxEntries } = options;
  // Insertion order is age order: the oldest answers are first, for eviction.
  const answers = new Map<string, CachedAnswer>();
  const dependents = new Map<string, Set<string>>();
  const changedAt = new Map<string, number>();
  let seq = 0;
  let allChangedAt = 0;

  function drop(key: string): void {
    const answer = answers.get(key);
    if (!answer) return;
    answers.delete(key);
    for (const dep of answer.deps) {
      const keys = dependents.get(dep);
      keys?.delete(key);
      if (keys?.size === 0) dependents.delete(dep);
    }
  }

  return {
    begin: () => seq,
    get(key, now) {
      const answer = answers.get(key);
      if (!answer) return undefined;
      if (now >= answer.validFrom && now < answer.validUntil) return answer;
      drop(key);
      return undefined;
    },
    put(key, answer, since) {
      if (allChangedAt > since) return false;
      for (const dep of answer.deps) if ((changedAt.get(dep) ?? 0) > since) return false;
      drop(key);
      answers.set(key, answer);
      for (const dep of answer.deps) {
        let keys = dependents.get(dep);
        if (!keys) dependents.set(dep, (keys = new Set()));
        keys.add(key);
      }
      for (const [oldest, kept] of answers) {
        if (answers.size <= maxEntries && kept.validUntil > answer.validFrom) break;
        drop(oldest);
      }
      return true;
    },
    invalidate(entryKey) {
      // The marks only judge answers still being computed, so at the bound they are forgotten and
      // every computation under way counts as overlapping a change (none of those is kept).
      if (changedAt.size >= MAX_CHANGE_MARKS) {
        changedAt.clear();
        allChangedAt = seq + 1;
      }
      changedAt.set(entryKey, ++seq);
      const keys = dependents.get(entryKey);
      if (keys) for (const key of [...keys]) drop(key);
    },
    invalidateAll() {
      allChangedAt = ++seq;
      for (const key of [...answers.keys()]) drop(key);
    },
    size: () => answers.size,
  };
}

/** Strong ETag of a body: its SHA-1. */
export function etagOf(body: Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

/** Does an If-None-Match header name this ETag (weak comparison, `*` included)? */
export function matchesEtag(ifNoneMatch: string | null | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  for (const raw of ifNoneMatch.split(',')) {
    const tag = raw.trim();
    if (tag === '*' || tag === etag || tag === `W/${etag}`) return true;
  }
  return false;
}

/** The operation a document runs, when it is a query over cacheable root fields only. */
function cacheableOperation(document: DocumentNode, operationName: string | null | undefined): boolean {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation || operation.operation !== 'query') return false;
  return operation.selectionSet.selections.every((s) => s.kind === Kind.FIELD && CACHEABLE_FIELDS.has(s.name.value));
}

/** A request the front door looked up and handed to Yoga: what the plugin needs to keep its answer. */
interface Pending {
  key: string;
  since: number;
  principal: Principal;
  ifNoneMatch: string | undefined;
  context?: GatewayContext;
  text?: string;
  done(): void;
}

export interface FrontDoorOptions {
  cache: ResponseCache;
  /** Yoga's node handler: every request the front door does not answer. */
  yoga: RequestListener;
  clock: Clock;
  graphqlEndpoint: string;
  maxBodyBytes: number;
  authenticate: Authenticate;
  failures: AuthFailureLimiter;
  trustProxyHops: number;
  limiter: TokenRateLimiter;
  metrics: GatewayMetrics;
  logger: Logger;
  /** False while answers must not be served from memory (the shared cache is unreachable). */
  serving(): boolean;
}

export interface FrontDoor {
  /** The node:http handler: answers hits, hands everything else to Yoga. */
  handle: RequestListener;
  /** The Yoga side: decides whether an executed answer may be kept, keeps it, adds its ETag, answers 304. */
  plugin: Plugin;
  /** The principal the front door verified for this request (for the bearer auth plugin). */
  verified(serverContext: unknown): Principal | undefined;
}

function pathOf(url: string | undefined): string {
  if (!url) return '';
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/** A request body of exactly `length` bytes, or null when the client went away first. */
function readBody(req: IncomingMessage, length: number): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      chunks.push(chunk);
    });
    req.on('end', () => resolve(size === length ? (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)).toString('utf8') : null));
    req.on('error', () => resolve(null));
    req.on('close', () => resolve(null)); // no effect after 'end'
  });
}

/** A node request the front door may look up: a JSON POST to the endpoint with a bearer token, not a stream. */
function lookupShape(req: IncomingMessage, endpoint: string, maxBodyBytes: number): number | null {
  if (req.method !== 'POST' || pathOf(req.url) !== endpoint) return null;
  const { headers } = req;
  if (!headers.authorization || headers.upgrade) return null;
  if (!headers['content-type']?.startsWith('application/json')) return null;
  const accept = headers.accept;
  if (accept && (accept.includes('text/event-stream') || accept.includes('multipart/mixed'))) return null;
  const length = Number(headers['content-length']);
  return Number.isInteger(length) && length > 0 && length <= maxBodyBytes ? length : null;
}

export function createFrontDoor(options: FrontDoorOptions): FrontDoor {
  const { cache, yoga, clock, graphqlEndpoint, maxBodyBytes, authenticate, failures, trustProxyHops, limiter, metrics, logger } = options;
  const pendingByNode = new WeakMap<IncomingMessage, Pending>();
  const pendingByRequest = new WeakMap<Request, Pending>();
  /** Keys whose operation is never cacheable (a mutation, `health`): no lookup, no waiting. */
  const neverCached = new Map<string, true>();
  /** Misses being computed, by key: later identical misses wait for the first answer. */
  const computing = new Map<string, Promise<void>>();
  const counted = {
    hit: metrics.responseCacheRequests.labels({ outcome: 'hit' }),
    miss: metrics.responseCacheRequests.labels({ outcome: 'miss' }),
    bypass: metrics.responseCacheRequests.labels({ outcome: 'bypass' }),
  };
  const httpOk = metrics.httpRequests.labels({ route: graphqlEndpoint, method: 'POST', status: '200', outcome: 'ok' });
  const httpNotModified = metrics.httpRequests.labels({ route: graphqlEndpoint, method: 'POST', status: '304', outcome: 'ok' });
  const httpDuration = metrics.httpDuration.labels({ route: graphqlEndpoint, method: 'POST', outcome: 'ok' });

  function pass(req: IncomingMessage, res: ServerResponse, body: string | null): void {
    if (body !== null) (req as IncomingMessage & { body?: string }).body = body; // whatwg-node reads a consumed body from here
    void yoga(req, res);
  }

  function serve(req: IncomingMessage, res: ServerResponse, answer: CachedAnswer, started: number): void {
    counted.hit.inc();
    const notModified = matchesEtag(req.headers['if-none-match'], answer.etag);
    if (notModified) {
      res.writeHead(304, { etag: answer.etag });
      res.end();
    } else {
      const headers: OutgoingHttpHeaders = { ...answer.headers, etag: answer.etag, 'content-length': answer.body.length };
      res.writeHead(200, headers);
      res.end(answer.body);
    }
    const ms = performance.now() - started;
    (notModified ? httpNotModified : httpOk).inc();
    httpDuration.observe(ms / 1000);
    logger.info({ method: 'POST', path: graphqlEndpoint, status: notModified ? 304 : 200, ms: Math.round(ms * 10) / 10, responseCache: 'hit' }, 'request');
  }

  /** The answer kept for this key, if it may be served now. */
  const lookup = (key: string) => (options.serving() ? cache.get(key, clock.now()) : undefined);

  async function frontDoor(req: IncomingMessage, res: ServerResponse, length: number): Promise<void> {
    const started = performance.now();
    const body = await readBody(req, length);
    if (body === null) return; // the client went away
    const address = addressOf(req.socket.remoteAddress ?? 'unknown', req.headers['x-forwarded-for'] as string | undefined, trustProxyHops);
    let principal: Principal | null = null;
    if (failures.retryAfterSeconds(address) === 0) principal = await authenticate(req.headers.authorization).catch(() => null);
    // Refused, or over a budget: Yoga answers it (401, 429, 503), counting what it counts.
    if (!principal) {
      counted.bypass.inc();
      return pass(req, res, body);
    }
    const key = `${scopeOf(principal)}\n${req.headers.accept ?? ''}\n${req.headers.origin ?? ''}\n${body}`;
    if (neverCached.has(key)) {
      counted.bypass.inc();
      return pass(req, res, body);
    }
    let answer = lookup(key);
    if (!answer && computing.has(key)) {
      await computing.get(key);
      answer = lookup(key);
    }
    if (answer) {
      const wait = limiter.take(principal);
      if ((typeof wait === 'number' ? wait : await wait) === 0) return serve(req, res, answer, started);
      counted.bypass.inc();
      return pass(req, res, body); // over its rate: Yoga's rate limit answers 429
    }
    counted.miss.inc();
    // The first miss of a key leads: later ones wait for its answer (once) instead of executing too.
    let resolve: (() => void) | null = null;
    const computed = computing.has(key) ? null : new Promise<void>((r) => (resolve = r));
    if (computed) computing.set(key, computed);
    const pending: Pending = {
      key, principal, since: cache.begin(),
      ifNoneMatch: req.headers['if-none-match'],
      done() {
        if (!resolve) return;
        if (computing.get(key) === computed) computing.delete(key); // only its own: a later leader may hold the key by now
        resolve();
        resolve = null;
      },
    };
    pendingByNode.set(req, pending);
    res.once('close', () => pending.done());
    pass(req, res, body);
  }

  const handle: RequestListener = (req, res) => {
    const length = lookupShape(req, graphqlEndpoint, maxBodyBytes);
    if (length === null) {
      if (pathOf(req.url) === graphqlEndpoint) counted.bypass.inc();
      return void yoga(req, res);
    }
    frontDoor(req, res, length).catch((err: unknown) => {
      logger.error({ err: err instanceof Error ? err.message : String(err) }, 'response cache front door failed');
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
      }
    });
  };

  const plugin: Plugin = {
    onRequest({ request, serverContext }) {
      const pending = pendingByNode.get((serverContext as { req?: IncomingMessage }).req as IncomingMessage);
      if (pending) pendingByRequest.set(request, pending);
    },
    onExecute({ args }) {
      const context = args.contextValue as unknown as GatewayContext & { request?: Request };
      const pending = context.request ? pendingByRequest.get(context.request) : undefined;
      if (!pending) return;
      if (cacheableOperation(args.document, args.operationName)) pending.context = context;
      else {
        neverCached.set(pending.key, true);
        if (neverCached.size > 1000) neverCached.delete(neverCached.keys().next().value!);
      }
    },
    onResultProcess({ request, result, setResult }) {
      const pending = pendingByRequest.get(request);
      const context = pending?.context;
      if (!pending || !context || Array.isArray(result) || Symbol.asyncIterator in result) return;
      if (result.errors?.some((e) => !CACHEABLE_ERROR_CODES.has(String(e.extensions?.code)))) return;
      if (context.data.partial || context.data.reads.some((r) => r.meta.localCopy)) return;
      const stringify = result.stringify ?? JSON.stringify;
      setResult({ ...result, stringify: (r) => (pending.text = stringify(r)) });
    },
    onResponse({ request, response, setResponse, fetchAPI }) {
      const pending = pendingByRequest.get(request);
      if (!pending) return;
      const context = pending.context;
      if (pending.text !== undefined && context && response.status === 200) {
        const body = Buffer.from(pending.text);
        const etag = etagOf(body);
        const { now, data } = context;
        const validUntil = Math.min(
          now + MAX_ANSWER_AGE_MS,
          (Math.floor(now / QUARTER_HOUR_MS) + 1) * QUARTER_HOUR_MS,
          unchangedUntil(data.reads, data.shownAges, now),
        );
        if (clock.now() < validUntil) {
          const headers: Record<string, string> = {};
          response.headers.forEach((value, name) => {
            if (name !== 'content-length' && name !== 'etag') headers[name] = value;
          });
          const deps = [...new Set(data.reads.map((r) => r.meta.key))];
          cache.put(pending.key, { headers, body, etag, validFrom: now, validUntil, deps }, pending.since);
        }
        response.headers.set('etag', etag);
        if (matchesEtag(pending.ifNoneMatch, etag)) setResponse(new fetchAPI.Response(null, { status: 304, headers: { etag } }));
      }
      pending.done();
    },
  };

  return {
    handle,
    plugin,
    verified: (serverContext) => pendingByNode.get((serverContext as { req?: IncomingMessage } | undefined)?.req as IncomingMessage)?.principal,
  };
}
