/**
 * The few raw Redis commands the cache needs beyond Keyv (locks, key scans), typed narrowly so the
 * node-redis client/cluster/sentinel union behind `@keyv/redis` need not leak into our code.
 */
export interface RedisCommands {
  set(key: string, value: string, options: { NX?: boolean; PX?: number }): Promise<string | null>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  scanIterator(options: { MATCH: string; COUNT: number }): AsyncIterable<string[]>;
}
