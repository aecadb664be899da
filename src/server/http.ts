/**
 * The network face: one node:http server for Yoga (GraphQL over HTTP and SSE, GraphiQL, health,
 * metrics, webhooks) and, attached to it, graphql-ws on the same path (src/server/ws.ts).
 *
 * `close({ graceMs })` stops the way a load balancer expects: no new connection is accepted, the
 * close hooks run (WebSockets say goodbye with 1001), every response from then on says
 * `Connection: close`, and requests in flight get up to `graceMs` to finish; once none is left,
 * the remaining (idle keep-alive) connections are closed, and at the end of the grace whatever is
 * still open is cut. Idle keep-alive connections are not closed at the first moment, and each
 * step waits one event-loop turn first: a request a client already sent over a connection (in the
 * kernel's buffers, not yet read) is then taken in and answered instead of being reset.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Server as NetServer, type AddressInfo, type Socket } from 'node:net';

export interface ListenOptions {
  /**
   * Idle keep-alive connections are closed after this long (announced in each response's
   * `Keep-Alive: timeout=N`, which clients such as Node's agent use to close first). The gateway
   * passes HTTP_KEEP_ALIVE_TIMEOUT_SECONDS (src/config.ts owns the default). @default Node's, 5 s
   */
  keepAliveTimeoutMs?: number;
}

export interface CloseOptions {
  /** How long requests in flight may take to finish before their connections are cut. @default 0 */
  graceMs?: number;
}

export interface Listening {
  server: Server;
  url: string;
  /** Runs `hook` at the start of `close()`, before connections are cut. */
  onClose(hook: () => Promise<void> | void): void;
  close(options?: CloseOptions): Promise<void>;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function listen(handler: Parameters<typeof createServer>[1], port: number, host: string, options: ListenOptions = {}): Promise<Listening> {
  const server = createServer(options.keepAliveTimeoutMs === undefined ? {} : { keepAliveTimeout: options.keepAliveTimeoutMs }, handler);
  /** Open connections (HTTP, and upgraded ones: ws.ts closes those) and the responses in flight. */
  const connections = new Set<Socket>();
  const responses = new Set<ServerResponse>();
  const hooks: (() => Promise<void> | void)[] = [];
  let closing = false;
  let quiet: (() => void) | null = null;

  server.on('connection', (socket: Socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
  });
  server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    responses.add(res);
    if (closing) res.shouldKeepAlive = false;
    res.on('close', function responseDone() {
      responses.delete(res);
      if (responses.size === 0) quiet?.();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { port: actual } = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;

  /** Resolves once no response is in flight (checked a turn later, so just-read requests count), or at `deadline`. */
  async function inFlightDone(deadline: number): Promise<void> {
    for (;;) {
      await nextTurn();
      const left = deadline - performance.now();
      if (responses.size === 0 || left <= 0) return;
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        quiet = resolve;
        timer = setTimeout(resolve, left);
      });
      clearTimeout(timer);
      quiet = null;
    }
  }

  async function closeServer(graceMs: number): Promise<void> {
    const deadline = performance.now() + graceMs;
    closing = true;
    await nextTurn();
    // No new connections from here. (http.Server#close would also close idle keep-alive connections
    // at once, resetting requests already on their way over them.)
    const stopped = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
    for (const res of responses) if (!res.headersSent) res.shouldKeepAlive = false;
    await Promise.allSettled(hooks.map((hook) => hook()));
    await inFlightDone(deadline);
    for (const socket of connections) socket.destroy();
    await stopped;
  }

  let closed: Promise<void> | null = null;
  return {
    server,
    url: `http://${shownHost}:${actual}`,
    onClose: (hook) => void hooks.push(hook),
    close: (options = {}) => (closed ??= closeServer(options.graceMs ?? 0)),
  };
}
