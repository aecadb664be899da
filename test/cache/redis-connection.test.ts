/**
 * The cache's Redis connection times Redis, not this process: a reply that arrived while the event
 * loop was busy past the timeout is taken, not turned into "Redis unavailable" (which would start
 * the quiet period and make every replica fetch what the shared lease should have deduplicated).
 * On the real Redis (REDIS_URL), through an in-process relay that keeps the loop busy at the moment
 * Redis's reply comes in; a server that does not answer still times out.
 */
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisConnection, RedisUnavailableError, type RedisConnection } from '../../src/sources/cache/redis-connection';

const REDIS = new URL(process.env.REDIS_URL || 'redis://127.0.0.1:6379');
const TIMEOUT_MS = 100;

/** Keeps the event loop busy, as a burst of requests on a loaded machine does. */
function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) { /* the loop is blocked */ }
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('the cache Redis connection', () => {
  const sockets = new Set<Socket>();
  let stallNextReply = false;
  /** Relays to the real Redis; when asked, its handler of Redis's next reply blocks the loop first. */
  const relay = createServer((client) => {
    const redis = connect(Number(REDIS.port || 6379), REDIS.hostname);
    sockets.add(client).add(redis);
    client.on('data', (chunk) => redis.write(chunk));
    redis.on('data', (chunk) => {
      if (stallNextReply) {
        stallNextReply = false;
        busyFor(TIMEOUT_MS * 4); // the reply is in hand; the caller's timer expires meanwhile
      }
      client.write(chunk);
    });
    client.on('error', () => redis.destroy());
    redis.on('error', () => client.destroy());
  });
  const silent = createServer((socket) => void sockets.add(socket)); // accepts connections, never replies
  let connection: RedisConnection;
  let mute: RedisConnection;

  beforeAll(async () => {
    connection = createRedisConnection({ url: `redis://127.0.0.1:${await listen(relay)}`, timeoutMs: TIMEOUT_MS });
    mute = createRedisConnection({ url: `redis://127.0.0.1:${await listen(silent)}`, timeoutMs: TIMEOUT_MS });
  });
  afterAll(async () => {
    await connection.close();
    await mute.close().catch(() => {}); // never connected: nothing to wait for
    for (const socket of sockets) socket.destroy();
    await Promise.all([relay, silent].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  });

  it('takes a reply that arrived while the event loop was blocked past the timeout', async () => {
    const key = `bgw-test:conn:${randomUUID()}`;
    const raw = await connection.client();
    await raw.set(key, 'v', { PX: 60_000 });
    const get = () => (connection.adapter.client as unknown as { get(k: string): Promise<string | null> }).get(key);
    stallNextReply = true;
    await expect(connection.call(get)).resolves.toBe('v');
    expect(stallNextReply).toBe(false); // the stall did happen
    expect(connection.health().reachable).toBe(true);
    // No quiet period was started: the next call goes to Redis at once.
    await expect(connection.call(get)).resolves.toBe('v');
  });

  it('still times out a server that does not answer, then refuses at once for a while', async () => {
    await expect(mute.call(async () => 'never')).rejects.toBeInstanceOf(Error);
    expect(mute.health().reachable).toBe(false);
    await expect(mute.call(async () => 'refused')).rejects.toBeInstanceOf(RedisUnavailableError);
  });
});
