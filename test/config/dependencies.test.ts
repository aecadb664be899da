/**
 * The start-up checks of DATABASE_URL and REDIS_URL: a server that accepts connections but never
 * answers must not hold the start hostage, and the real servers pass.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDependencies, DependencyError } from '../../src/sources/dependencies';
import { TEST_DATABASE_URL } from '../support/databases';
import { REDIS_URL } from '../support/gateway';

let silent: Server;
let port: number;
const sockets = new Set<Socket>();

beforeAll(async () => {
  // Accepts and then says nothing, like a firewall that drops replies or a wedged server.
  silent = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  port = (silent.address() as { port: number }).port;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

async function failure(options: Parameters<typeof checkDependencies>[0]): Promise<{ err: DependencyError; ms: number }> {
  const started = Date.now();
  const err = await checkDependencies(options).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(DependencyError);
  return { err: err as DependencyError, ms: Date.now() - started };
}

describe('checkDependencies', () => {
  it('gives up on a Postgres that never answers, naming DATABASE_URL', async () => {
    const { err, ms } = await failure({ databaseUrl: `postgres://gw:hunter2@127.0.0.1:${port}/gw`, redisUrl: null, timeoutMs: 300 });
    expect(err.variable).toBe('DATABASE_URL');
    expect(err.message).toMatch(new RegExp(`^DATABASE_URL: cannot use Postgres at 127\\.0\\.0\\.1:${port}: .+\\. Start Postgres or fix DATABASE_URL\\.$`));
    expect(err.message).not.toContain('hunter2');
    expect(ms).toBeLessThan(5_000);
  });

  it('gives up on a Redis that never answers, naming REDIS_URL', async () => {
    const { err, ms } = await failure({ databaseUrl: null, redisUrl: `redis://:hunter2@127.0.0.1:${port}`, timeoutMs: 300 });
    expect(err.variable).toBe('REDIS_URL');
    expect(err.message).toMatch(new RegExp(`^REDIS_URL: cannot use Redis at 127\\.0\\.0\\.1:${port}: .+\\. Start Redis or fix REDIS_URL\\.$`));
    expect(err.message).not.toContain('hunter2');
    expect(ms).toBeLessThan(5_000);
  });

  it('passes with the real servers, and with nothing configured', async () => {
    await expect(checkDependencies({ databaseUrl: TEST_DATABASE_URL, redisUrl: REDIS_URL })).resolves.toBeUndefined();
    await expect(checkDependencies({ databaseUrl: null, redisUrl: null })).resolves.toBeUndefined();
  });
});
