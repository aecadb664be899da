/**
 * Start-up checks of the configured Postgres and Redis: one round trip each, bounded in time, so
 * a server that is down or a URL that is wrong stops the process at once with a message naming
 * the variable (src/main.ts exits with code 2), instead of a success banner and a stack trace
 * later. Messages give host and port, never the URL (it may hold a password).
 */
import pg from 'pg';
import { Redis } from 'ioredis';

export type DependencyVariable = 'DATABASE_URL' | 'REDIS_URL';

export class DependencyError extends Error {
  constructor(readonly variable: DependencyVariable, message: string) {
    super(message);
    this.name = 'DependencyError';
  }
}

export interface DependencyCheckOptions {
  databaseUrl: string | null;
  redisUrl: string | null;
  /** Per dependency; both are checked at once. @default 5_000 */
  timeoutMs?: number;
}

/** Resolves when every configured dependency answers; throws DependencyError for the first that does not. */
export async function checkDependencies({ databaseUrl, redisUrl, timeoutMs = 5_000 }: DependencyCheckOptions): Promise<void> {
  const checks: Promise<void>[] = [];
  if (databaseUrl) checks.push(bounded('DATABASE_URL', 'Postgres', databaseUrl, timeoutMs, () => pingPostgres(databaseUrl, timeoutMs)));
  if (redisUrl) checks.push(bounded('REDIS_URL', 'Redis', redisUrl, timeoutMs, () => pingRedis(redisUrl, timeoutMs)));
  await Promise.all(checks);
}

async function pingPostgres(url: string, timeoutMs: number): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => {}); // a late socket error after we gave up must not crash the process
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => {});
  }
}

async function pingRedis(url: string, timeoutMs: number): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  // With retries off, connect() rejects with a bare "Connection is closed."; the socket's own error says why.
  let socketError: unknown = null;
  redis.on('error', (err) => (socketError ??= err));
  try {
    await redis.connect().catch((err) => {
      throw socketError ?? err;
    });
    await redis.ping();
  } finally {
    redis.disconnect();
  }
}

async function bounded(variable: DependencyVariable, what: string, url: string, timeoutMs: number, ping: () => Promise<void>): Promise<void> {
  const where = hostOf(url);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs + 500);
  });
  try {
    await Promise.race([ping(), timedOut]);
  } catch (err) {
    throw new DependencyError(variable, `${variable}: cannot use ${what} at ${where}: ${reasonOf(err)}. Start ${what} or fix ${variable}.`);
  } finally {
    clearTimeout(timer);
  }
}

function hostOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || (u.protocol.startsWith('redis') ? '6379' : '5432')}`;
  } catch {
    return 'the configured address';
  }
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused (ECONNREFUSED)',
  ENOTFOUND: 'unknown host (ENOTFOUND)',
  EAI_AGAIN: 'host name lookup failed (EAI_AGAIN)',
  ETIMEDOUT: 'connection timed out (ETIMEDOUT)',
  EHOSTUNREACH: 'host unreachable (EHOSTUNREACH)',
  ECONNRESET: 'connection reset (ECONNRESET)',
};

/** Why it failed, in one line: the network error's code, else the server's own message (it names no password). */
function reasonOf(err: unknown): string {
  const e = err as { code?: unknown; errors?: { code?: unknown }[]; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : typeof e?.errors?.[0]?.code === 'string' ? e.errors[0].code : null;
  if (code && NETWORK_REASONS[code]) return NETWORK_REASONS[code];
  const message = typeof e?.message === 'string' ? e.message.split('\n')[0].replace(/\b\w+:\/\/\S+/g, '<url>') : String(err);
  return message.slice(0, 200) || 'unknown error';
}
