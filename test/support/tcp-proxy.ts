/**
 * A TCP proxy we can stop and start, to put in front of Postgres: clients see refused and reset
 * connections exactly as when the server goes away (test/monitoring/outage.test.ts has the idea).
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpProxy {
  /** Listens (again, on the same port after the first start). */
  start(): Promise<void>;
  /** Stops listening and cuts every open connection. */
  stop(): Promise<void>;
  port(): number;
  /** `url` with its host and port replaced by the proxy's. */
  urlFor(url: string): string;
}

export function tcpProxy(target: { host: string; port: number }): TcpProxy {
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  let port = 0;
  return {
    start: () =>
      new Promise<void>((resolve, reject) => {
        const s = createServer((client) => {
          const upstream = connect(target.port, target.host);
          for (const socket of [client, upstream]) {
            sockets.add(socket);
            socket.on('close', () => sockets.delete(socket));
            socket.on('error', () => socket.destroy());
          }
          client.pipe(upstream).pipe(client);
        });
        s.once('error', reject);
        s.listen(port, '127.0.0.1', () => {
          port = (s.address() as AddressInfo).port;
          server = s;
          resolve();
        });
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        if (!server) return resolve();
        server.close(() => resolve());
        server = null;
      }),
    port: () => port,
    urlFor(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
  };
}

/** A proxy in front of the test Postgres (TEST_DATABASE_URL), started. */
export async function postgresProxy(databaseUrl: string): Promise<TcpProxy> {
  const target = new URL(databaseUrl);
  const proxy = tcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  await proxy.start();
  return proxy;
}
