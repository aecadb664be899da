/**
 * GraphQL over WebSocket (the graphql-ws protocol) on the same server and path as GraphQL over
 * HTTP and SSE. Operations run through Yoga's envelop (`getEnveloped`), so they get the same
 * schema, plugins, error masking and context as HTTP requests.
 *
 * Auth is the same bearer token as HTTP, taken from (first found): `connectionParams.Authorization`
 * (or `authorization`, or `headers.Authorization`), the upgrade request's `Authorization` header,
 * or, per operation, `extensions.headers.Authorization` (how GraphiQL's WebSocket client sends the
 * Headers tab: a browser cannot set headers on a WebSocket). A wrong token closes the connection
 * (4403); an operation without any valid token is refused with `UNAUTHENTICATED`.
 *
 * Heartbeats: graphql-ws sends a WebSocket ping every `keepAliveMs` and drops a peer that stops
 * answering, so idle subscriptions survive proxies that cut silent connections.
 */
import { GraphQLError, type ExecutionArgs } from 'graphql';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import type { GatewayContext } from '../resolvers/context';
import type { Principal } from '../access';
import type { Authenticate } from './auth';
import type { Listening } from './http';

export interface WebSocketTarget {
  yoga: Pick<YogaServerInstance<Record<string, unknown>, GatewayContext>, 'getEnveloped'>;
  authenticate: Authenticate;
}

export interface WebSocketOptions {
  /** @default '/graphql' */
  path?: string;
  /** Ping period; a peer that misses a pong is dropped. @default 12_000 */
  keepAliveMs?: number;
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
  const { path = '/graphql', keepAliveMs = 12_000 } = options;
  const wsServer = new WebSocketServer({ server: listening.server, path });
  type Extra = { principal?: Principal | null };
  type Root = { execute(args: ExecutionArgs): unknown; subscribe(args: ExecutionArgs): unknown };

  const disposable = useServer<Record<string, unknown> | undefined, Extra>(
    {
      execute: (args) => (args.rootValue as Root).execute(args) as never,
      subscribe: (args) => (args.rootValue as Root).subscribe(args) as never,
      async onConnect(ctx) {
        const given = authorizationIn(ctx.connectionParams) ?? ctx.extra.request.headers.authorization ?? null;
        if (given === null) return true; // GraphiQL: the token comes with each operation
        const principal = await target.authenticate(given);
        if (!principal) return false; // graphql-ws closes with 4403 Forbidden
        ctx.extra.principal = principal;
        return true;
      },
      async onSubscribe(ctx, _id, payload) {
        const principal = ctx.extra.principal ?? (await target.authenticate(authorizationIn(payload.extensions)));
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
  // Closes every socket with 1001 (going away) and ends their subscriptions.
  const close = () => (closed ??= Promise.resolve(disposable.dispose()).then(() => undefined));
  listening.onClose(close);
  return { connections: () => wsServer.clients.size, close };
}
