/**
 * One-off measurement (not a test): cost of a warm read of a 5,000-mailbox entry from each store.
 * Run: npx tsx test/cache/measure-warm-read.ts   (REDIS_URL defaults to redis://127.0.0.1:6379)
 * Prints: entry size; per-read time of cache.read() on a warm entry (Redis: answered from memory while
 * client tracking vouches for it, see src/sources/cache/tracking.ts), and
 * for comparison what a read costs without L1 (GET + JSON.parse of the whole value).
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { ManualClock } from '../../src/clock';
import { createCacheStore, createSourceCache, type CacheStore } from '../../src/sources/cache';
import type { Fetcher } from '../../src/sources/cache/types';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const resource = { kind: 'sender-emails', workspaceId: 1 } as const;
const mailboxes = Array.from({ length: 5_000 }, (_, i) => ({
  id: i + 1, name: `Sender ${i}`, email: `sender${i}@outreach-domain-${i % 300}.com`, daily_limit: 20, type: 'google',
  status: i % 17 ? 'Connected' : 'Not connected', warmup_enabled: true, emails_sent_count: 400 + i, total_replied_count: i % 9,
  unique_replied_count: i % 7, bounced_count: i % 5, unsubscribed_count: 0, total_leads_contacted_count: 300 + i,
  interested_leads_count: i % 3, tags: [{ id: 1, name: 'Google', default: false }, { id: 2, name: 'Zapmail', default: false }],
  created_at: '2025-11-01T10:00:00.000000Z', updated_at: '2026-03-01T10:00:00.000000Z',
}));
const fetch = (async () => mailboxes) as unknown as Fetcher;

async function timePerCall(n: number, fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 20; i++) await fn();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return (performance.now() - t0) / n;
}

async function measure(name: string, makeStore: () => CacheStore) {
  const store = makeStore();
  const cache = createSourceCache({ store, fetch, clock: new ManualClock(), ttlMs: () => 600_000 });
  const first = await cache.read(resource);
  const [row] = await cache.entries();
  const warm = await timePerCall(500, () => cache.read(resource));
  console.log(`${name}: ${(row.sizeBytes / 1e6).toFixed(2)} MB, ${row.recordCount} mailboxes, origin ${first.meta.origin}; warm read ${warm.toFixed(3)} ms`);
  await store.close();
}

const sharedMap = new Map<string, unknown>();
await measure('memory', () => createCacheStore({ sharedMap }));
const prefix = `measure:cache:${randomUUID().slice(0, 8)}`;
await measure('redis ', () => createCacheStore({ redisUrl: REDIS_URL, prefix }));
const redis = new Redis(REDIS_URL);
// What every warm read would cost without L1: GET the 2.5 MB value and parse it.
const raw = await timePerCall(50, async () => JSON.parse((await redis.get(`${prefix}:d:sender-emails:1`))!));
console.log(`redis without L1 (GET + JSON.parse of the value): ${raw.toFixed(2)} ms`);
const keys = await redis.keys(`${prefix}:*`);
if (keys.length) await redis.del(...keys);
await redis.quit();
