/**
 * A real outage on the real Postgres: the recorder's connections go through a TCP proxy we stop and
 * start, so node-postgres sees refused and reset connections exactly as when the server goes away.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecorder } from '../../src/monitoring/recorder';
import { openDb, type Db } from '../../src/sources/db';
import { TEST_DATABASE_URL, withDatabase, type TestDatabase } from '../support/databases';
import { attempt, issue } from './fixtures';

function tcpProxy(target: { host: string; port: number }) {
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  let port = 0;
  const start = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(target.port, target.host);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as AddressInfo).port;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server?.close(() => resolve());
    });
  return { start, stop, port: () => port };
}

describe('monitoring recorder through a real Postgres outage', () => {
  let t: TestDatabase;
  let viaProxy: Db;
  const target = new URL(TEST_DATABASE_URL);
  const proxy = tcpProxy({ host: target.hostname, port: Number(target.port || 5432) });

  beforeAll(async () => {
    t = await withDatabase('postgres');
    await proxy.start();
    const url = new URL(TEST_DATABASE_URL);
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port());
    viaProxy = await openDb({ databaseUrl: url.toString(), schema: t.schema!, onError: () => {} });
  });
  afterAll(async () => {
    await viaProxy?.close();
    await proxy.stop();
    await t.cleanup();
  });

  it('keeps rows while the server is gone and writes them when it is back', async () => {
    const rec = createRecorder(viaProxy, { instanceId: 'outage', flushIntervalMs: 3_600_000, maxBuffer: 20 });
    rec.attempt(attempt({ latencyMs: 1 }));
    await rec.flush();
    expect(rec.stats()).toMatchObject({ written: 1, lastError: null });

    await proxy.stop();
    for (let i = 0; i < 25; i++) rec.attempt(attempt({ latencyMs: 100 + i }));
    rec.validation(issue());
    await rec.flush();
    expect(rec.stats().lastError).not.toBeNull();
    // 26 observed, room for 20: the 6 oldest attempts are dropped and counted
    expect(rec.stats()).toMatchObject({ pending: 20, dropped: 6 });

    await proxy.start();
    await rec.flush();
    expect(rec.stats()).toMatchObject({ pending: 0, lastError: null, dropped: 6 });
    const { rows } = await t.db.query<{ latency_ms: number }>('SELECT latency_ms FROM api_health_logs ORDER BY id');
    expect(rows.map((r) => r.latency_ms)).toEqual([1, ...Array.from({ length: 19 }, (_, i) => 106 + i)]);
    const state = await t.db.query('SELECT dropped_rows FROM gateway_runtime_state WHERE instance_id = $1', ['outage']);
    expect(state.rows).toEqual([{ dropped_rows: 6 }]);
    await rec.close();
  });
});
