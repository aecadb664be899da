/**
 * The network face: one node:http server for Yoga (GraphQL over HTTP and SSE, GraphiQL, health,
 * metrics, webhooks) and, attached to it, graphql-ws on the same path (src/server/ws.ts).
 *
 * `close({ graceMs })` stops the way a load balancer expects: no new connection is accepted, the
 * close hooks run (WebSockets say goodbye with 1001), idle keep-alive connections are closed at
 * once and busy ones after their last response (answered with `Connection: close`), requests in
 * flight get up to `graceMs` to finish, and only what is still open then is cut.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

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

export async function listen(handler: Parameters<typeof createServer>[1], port: number, host: string): Promise<Listening> {
  const server = createServer(handler);
  /** Open connections and how many requests each has in flight (upgraded ones: -1, ws.ts closes them). */
  const connections = new Map<Socket, number>();
  const hooks: (() => Promise<void> | void)[] = [];
  let closing = false;
  let drained: (() => void) | null = null;

  server.on('connection', (socket) => {
    connections.set(socket, 0);
    socket.on('close', () => {
      connections.delete(socket);
      if (connections.size === 0) drained?.();
    });
  });
  server.on('upgrade', (req: IncomingMessage) => connections.set(req.socket, -1));
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    connections.set(socket, (connections.get(socket) ?? 0) + 1);
    if (closing) res.shouldKeepAlive = false;
    res.on('close', function requestDone() {
      const active = (connections.get(socket) ?? 1) - 1;
      if (connections.has(socket)) connections.set(socket, active);
      // The connection is idle once the response is written: close it instead of keeping it alive.
      if (closing && active === 0) setImmediate(() => server.closeIdleConnections());
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { port: actual } = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;

  async function closeServer(graceMs: number): Promise<void> {
    closing = true;
    const stopped = new Promise<void>((resolve) => server.close(() => resolve())); // no new connections from here
    server.closeIdleConnections();
    await Promise.allSettled(hooks.map((hook) => hook()));
    if (connections.size > 0 && graceMs > 0) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        drained = resolve;
        timer = setTimeout(resolve, graceMs);
      });
      clearTimeout(timer);
    }
    for (const socket of connections.keys()) socket.destroy();
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
