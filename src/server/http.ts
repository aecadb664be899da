/**
 * The network face: one node:http server for Yoga (GraphQL over HTTP and SSE, GraphiQL, health,
 * metrics, webhooks) and, attached to it, graphql-ws on the same path (src/server/ws.ts). Keeps
 * track of sockets so `close()` ends promptly even with open streams; parts attached to the server
 * (WebSockets) close first, so their clients get a proper goodbye instead of a cut connection.
 */
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface Listening {
  server: Server;
  url: string;
  /** Runs `hook` at the start of `close()`, before open connections are cut. */
  onClose(hook: () => Promise<void> | void): void;
  close(): Promise<void>;
}

export async function listen(handler: Parameters<typeof createServer>[1], port: number, host: string): Promise<Listening> {
  const server = createServer(handler);
  const sockets = new Set<Socket>();
  const hooks: (() => Promise<void> | void)[] = [];
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { port: actual } = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | null = null;
  return {
    server,
    url: `http://${shownHost}:${actual}`,
    onClose: (hook) => void hooks.push(hook),
    close: () =>
      (closing ??= (async function closeServer() {
        await Promise.allSettled(hooks.map((hook) => hook()));
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          for (const socket of sockets) socket.destroy();
        });
      })()),
  };
}
