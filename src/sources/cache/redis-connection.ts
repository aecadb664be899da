/**
 * The cache's Redis connection (node-redis behind `@keyv/redis`), set up to fail fast: every call
 * has a timeout (node-redis's own command timeout only covers the wait to be written, not the
 * reply, so calls race a timer here), commands are refused at once while the connection is down
 * (no offline queue: a read must not wait for Redis to come back), and the client reconnects by
 * itself, for ever, with a capped backoff. After a failed call Redis is left alone for a short
 * while, so a hanging server costs one timeout, not one per read.
 *
 * `epoch` counts (re)connections: an entry Redis confirmed in an earlier epoch and now lacks was
 * most likely lost with a Redis restart, not deleted (see store.ts, restore).
 *
 * The connection speaks RESP3 with client tracking on (`emitInvalidate`: node-redis sends
 * `CLIENT TRACKING ON` in every handshake, so a reconnect re-enables it): Redis remembers which keys
 * this connection read and pushes an invalidation, on this same socket and in order with the
 * replies, when one of them changes (written by anyone, deleted, expired, flushed). That is what
 * lets the store answer warm reads from memory (./tracking.ts). `link` changes whenever the
 * connection drops or comes back: what was vouched for on an older link is not any more.
 */
import KeyvRedis from '@keyv/redis';
import type { RedisCommands } from './redis-commands';

export interface RedisConnectionOptions {
  url: string;
  /** Longest wait for one command or for connecting. @default 1000 */
  timeoutMs?: number;
  /** After a failure, calls skip Redis for this long (real time). @default min(timeoutMs, 500) */
  quietMs?: number;
}

export interface StoreHealth {
  kind: 'memory' | 'redis';
  /** The shared store answered its last call (always true in memory). */
  reachable: boolean;
  /** Since when it does not (epoch ms, wall clock). */
  downSince: number | null;
}

export interface RedisConnection {
  adapter: KeyvRedis<unknown>;
  /** Called for every key Redis says changed (null: every key, e.g. FLUSHALL). */
  onInvalidate(listener: (key: string | null) => void): void;
  /** Changes whenever the connection drops or is (re)established. */
  link(): number;
  /** performance.now() of the last reply on this connection (0 = none on this link). */
  lastReplyAt(): number;
  /** One PING through `call`: proves the link alive and every invalidation before it received. */
  ping(): Promise<void>;
  client(): Promise<RedisCommands>;
  /** Runs one Redis call within the timeout; refused at once during the quiet period after a failure. */
  call<T>(work: () => Promise<T>): Promise<T>;
  epoch(): number;
  health(): StoreHealth;
  /** Waits for pending replies up to the timeout, then drops the connection. */
  close(): Promise<void>;
}

/** 100 ms, 200 ms, 400 ms ... capped at 2 s, with jitter so replicas do not reconnect in step. */
function reconnectDelay(retries: number): number {
  return Math.min(2 ** retries * 100, 2_000) + Math.floor(Math.random() * 100);
}

/**
 * `work`, or a rejection once `ms` passed (the late outcome of `work` is ignored).
 *
 * The timeout measures Redis, not this process: when the event loop was busy for longer than `ms`
 * (a burst of requests, a loaded machine), the timer and Redis's reply are both due when it comes
 * back, and timers run before socket reads. So the expiring timer first lets the loop read what
 * has arrived (`setImmediate` runs after the poll phase) and rejects only if there is still no answer.
 */
function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let immediate: ReturnType<typeof setImmediate> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      immediate = setImmediate(() => reject(new RedisUnavailableError(`no answer within ${ms} ms`)));
    }, ms);
  });
  work.catch(() => {});
  return Promise.race([work, timedOut]).finally(() => {
    clearTimeout(timer);
    if (immediate) clearImmediate(immediate);
  });
}

export class RedisUnavailableError extends Error {
  constructor(cause: string) {
    super(`the shared cache (Redis) is unavailable: ${cause}`);
    this.name = 'RedisUnavailableError';
  }
}

export function createRedisConnection(options: RedisConnectionOptions): RedisConnection {
  const { url, timeoutMs = 1_000 } = options;
  const quietMs = options.quietMs ?? Math.min(timeoutMs, 500);
  const adapter = new KeyvRedis<unknown>(
    {
      url,
      disableOfflineQueue: true,
      commandOptions: { timeout: timeoutMs },
      socket: { connectTimeout: timeoutMs, reconnectStrategy: reconnectDelay },
      RESP: 3,
      emitInvalidate: true,
      maintNotifications: 'disabled',
    },
    { throwOnConnectError: true, throwOnErrors: true, connectionTimeout: timeoutMs },
  );
  let epoch = 0;
  let downSince: number | null = null;
  let quietUntil = 0;
  let lastError: string | null = null;
  let link = 0;
  let lastReply = 0;
  const invalidated: Array<(key: string | null) => void> = [];
  const dropLink = () => {
    link += 1;
    lastReply = 0;
  };
  adapter.client.on('ready', function redisReady() {
    epoch += 1;
    dropLink();
    downSince = null;
    quietUntil = 0;
  });
  adapter.client.on('error', function redisError() {
    dropLink(); // invalidations may have been lost with the socket
    downSince ??= Date.now(); // the socket dropped: say so before the next call finds out
  });
  adapter.client.on('end', dropLink);
  adapter.client.on('invalidate', function redisInvalidate(key: unknown) {
    const name = key == null ? null : String(key);
    for (const listener of invalidated) listener(name);
  });
  adapter.on('error', () => {}); // every failure also rejects its call; the event alone would be unhandled

  let connecting: Promise<unknown> | null = null;
  /**
   * The first connection is waited for (bounded by the connect timeout), by all callers at once:
   * `getClient` alone lets a second caller through while the socket is still opening. Once it was
   * up, a dropped connection is not waited for: commands fail at once until it is back.
   */
  async function connected(): Promise<void> {
    if (epoch > 0 || (adapter.client as { isReady?: boolean }).isReady) return;
    connecting ??= adapter.getClient().finally(() => {
      connecting = null;
    });
    await connecting;
  }

  function failed(err: unknown): never {
    const now = Date.now();
    lastError = err instanceof Error ? err.message : String(err);
    downSince ??= now;
    quietUntil = now + quietMs;
    throw err;
  }

  async function call<T>(work: () => Promise<T>): Promise<T> {
    if (Date.now() < quietUntil) throw new RedisUnavailableError(lastError ?? 'a recent call failed');
    try {
      await connected();
      const onLink = link;
      const result = await within(timeoutMs, work());
      if (link === onLink) lastReply = performance.now();
      downSince = null;
      lastError = null;
      return result;
    } catch (err) {
      dropLink(); // no answer in time: whatever Redis vouched for is unconfirmed now
      return failed(err);
    }
  }

  return {
    adapter,
    async client() {
      await connected();
      const raw = adapter.client as unknown as RedisCommands;
      // Locks use these directly: they get the same timeout and quiet period as every other call.
      return {
        set: (key, value, opts) => call(() => raw.set(key, value, opts)),
        eval: (script, opts) => call(() => raw.eval(script, opts)),
        scanIterator: (opts) => raw.scanIterator(opts),
      };
    },
    call,
    onInvalidate: (listener) => void invalidated.push(listener),
    link: () => link,
    lastReplyAt: () => lastReply,
    async ping() {
      await call(() => (adapter.client as unknown as { ping(): Promise<string> }).ping());
    },
    epoch: () => epoch,
    health: () => ({ kind: 'redis', reachable: downSince === null, downSince }),
    async close() {
      const client = adapter.client as unknown as { isOpen: boolean; close(): Promise<void>; destroy(): void };
      if (!client.isOpen) return;
      await within(timeoutMs, client.close()).catch(() => client.destroy());
    },
  };
}
