/**
 * The few raw Redis commands the cache needs beyond Keyv (locks, key scans), typed narrowly so the
 * node-redis client/cluster/sentinel union behind `@keyv/redis` need not leak into our code.
 */
export interface RedisCommands {
  set(key: string, value: string, options: { NX?: boolean; PX?: number }): Promise<string | null>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  scanIterator(options: { MATCH: string; COUNT: number }): AsyncIterable<string[]>;
}

/** Runs a Lua script atomically on Redis; rejects when Redis does not answer. */
export type RunScript = (script: string, keys: string[], args: string[]) => Promise<unknown>;

/**
 * The one place scripts run on the cache's Redis connection (the shared buckets, the live
 * replicas): bounded by REDIS_TIMEOUT_MS and refused at once while Redis is down
 * (./redis-connection.ts), so every caller must expect a rejection and fall back.
 */
export function scriptRunner(redis: () => Promise<RedisCommands | null>): RunScript {
  return async (script, keys, args) => {
    const client = await redis();
    if (!client) throw new Error('no Redis connection');
    return client.eval(script, { keys, arguments: args });
  };
}
