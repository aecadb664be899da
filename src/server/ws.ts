/**
 * GraphQL over WebSocket (the graphql-ws protocol) on the same server and path as GraphQL over
 * HTTP and SSE. Operations run through Yoga's envelop (`getEnveloped`), so they get the same
 * schema, plugins, error masking and context as HTTP requests.
 *
 * Auth is the same bearer token as HTTP, taken from (first found): `connectionParams.Authorization`
 * (or `authorization`, or `headers.Authorization`), the upgrade request's `Authorization` header,
 * or, per operation, `extensions.headers.Authorization` (how GraphiQL's WebSocket client sends the
 * Headers tab: a browser cannot set headers on a WebSocket). A wrong token closes the connection
 * (4403); an operation without any valid token is refused with `UNAUTHENTICATED`. An address over
 * its budget of failed attempts is closed with 4429 before its token is looked at.
 *
 * Heartbeats: graphql-ws sends a WebSocket ping every `keepAliveMs` and drops a peer that stops
 * answering, so idle subscriptions survive proxies that cut silent connections.
 *
 * Closing (with the server, or on its own) says goodbye with 1001; while the gateway drains
 * (`gateway.drain()` completes every subscription) it first waits, briefly, for the operations to
 * have sent their `complete`.
 */
import { GraphQLError, type ExecutionArgs } from 'graphql';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import type { GatewayContext } from '../resolvers/context';
import type { Principal } from '../access';
import { AuthUnavailableError, type Authenticate } from './auth';
import { clientAddress, type AuthFailureLimiter } from './auth-failures';
import type { Listening } from './http';

export interface WebSocketTarget {
  yoga: Pick<YogaServerInstance<Record<string, unknown>, GatewayContext>, 'getEnveloped'>;
  authenticate: Authenticate;
  /** The gateway is completing every subscription (shutdown): wait for their `complete` before closing. */
  draining?: () => boolean;
  /** Failed attempts per client address, as on HTTP (../auth-failures.ts). */
  failures?: AuthFailureLimiter;
  trustProxyHops?: number;
}

export interface WebSocketOptions {
  /** @default '/graphql' */
  path?: string;
  /** Ping period; a peer that misses a pong is dropped. @default 12_000 */
  keepAliveMs?: number;
  /** On close, how long operations may take to send their `complete` before the sockets close. @default 2_000 */
  completeWithinMs?: number;
}

export interface AttachedWebSockets {
  /** Open WebSocket connections (for leak checks and metrics). */
  connections(): number;
  close(): Promise<void>;
}

const UNAUTHENTICATED = () =>
  new GraphQLError('A valid bearer token is required', { extensions: { code: 'UNAUTHENTICATED' } });

/** The Authorization value in a loose bag of headers or params, whatever its case. */
function authorizationIn(bag: unknown): string | null {
  if (!bag || typeof bag !== 'object') return null;
  const record = bag as Record<string, unknown>;
  const direct = record.Authorization ?? record.authorization;
  if (typeof direct === 'string') return direct;
  return authorizationIn(record.headers);
}

/** Serves graphql-ws on `listening`'s server; closed with it (before its sockets are cut). */
export function attachWebSockets(listening: Pick<Listening, 'server' | 'onClose'>, target: WebSocketTarget, options: WebSocketOptions = {}): AttachedWebSockets {
  const { path = '/graphql', keepAliveMs = 12_000, completeWithinMs = 2_000 } = options;
  const wsServer = new WebSocketServer({ server: listening.server, path });
  type Extra = { principal?: Principal | null; address?: string };
  type Root = { execute(args: ExecutionArgs): unknown; subscribe(args: ExecutionArgs): unknown };
  /** Open connections' operation tables (graphql-ws deletes an entry once its `complete` is sent). */
  const operations = new Set<{ subscriptions: Record<string, unknown> }>();
  const running = () => [...operations].reduce((n, ctx) => n + Object.keys(ctx.subscriptions).length, 0);

  /** Authenticates, counting a failure against the address; a database outage for an unknown token counts as no principal. */
  async function authenticateFrom(address: string, authorization: string | null): Promise<Principal | null> {
    const principal = await target.authenticate(authorization).catch((err: unknown) => {
      if (err instanceof AuthUnavailableError) return undefined;
      throw err;
    });
    if (principal === null) target.failures?.failed(address);
    return principal ?? null;
  }

  const disposable = useServer<Record<string, unknown> | undefined, Extra>(
    {
      execute: (args) => (args.rootValue as Root).execute(args) as never,
      subscribe: (args) => (args.rootValue as Root).subscribe(args) as never,
      onClose(ctx) {
        operations.delete(ctx);
      },
      async onConnect(ctx) {
        operations.add(ctx);
        const { request, socket } = ctx.extra;
        const forwarded = new Headers({ 'x-forwarded-for': String(request.headers['x-forwarded-for'] ?? '') });
        const address = (ctx.extra.address = clientAddress({ req: request }, forwarded, target.trustProxyHops ?? 0));
        if ((target.failures?.retryAfterSeconds(address) ?? 0) > 0) {
          socket.close(4429, 'Too many failed authentication attempts');
          return false;
        }
        const given = authorizationIn(ctx.connectionParams) ?? request.headers.authorization ?? null;
        if (given === null) return true; // GraphiQL: the token comes with each operation
        const principal = await authenticateFrom(address, given);
        if (!principal) return false; // graphql-ws closes with 4403 Forbidden
        ctx.extra.principal = principal;
        return true;
      },
      async onSubscribe(ctx, _id, payload) {
        const address = ctx.extra.address ?? 'unknown';
        if (!ctx.extra.principal && (target.failures?.retryAfterSeconds(address) ?? 0) > 0) return [UNAUTHENTICATED()];
        const principal = ctx.extra.principal ?? (await authenticateFrom(address, authorizationIn(payload.extensions)));
        if (!principal) return [UNAUTHENTICATED()];
        const { schema, execute, subscribe, contextFactory, parse, validate } = target.yoga.getEnveloped({
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
          principal,
        } as never);
        let document;
        try {
          document = parse(payload.query);
        } catch (err) {
          return [err instanceof GraphQLError ? err : new GraphQLError(String(err))];
        }
        const errors = validate(schema, document);
        if (errors.length) return errors;
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe } satisfies Root,
        };
      },
    },
    wsServer,
    keepAliveMs,
  );

  let closed: Promise<void> | null = null;
  async function closeAll(): Promise<void> {
    const until = performance.now() + completeWithinMs;
    while (target.draining?.() && running() > 0 && performance.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
    await disposable.dispose(); // closes every socket with 1001 (going away), ending what still runs
  }
  const close = () => (closed ??= closeAll());
  listening.onClose(close);
  return { connections: () => wsServer.clients.size, close };
}
